package dev.rlhf.engine.runtime;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import java.nio.file.Path;
import java.util.Map;

/** Compiles graphs into ONNX Runtime sessions with the configured device, threads and optimisation. */
public final class Engine {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final RuntimeOptions options;

    public Engine(RuntimeOptions options) {
        this.options = options;
    }

    public RuntimeOptions options() {
        return options;
    }

    public OrtEnvironment environment() {
        return env;
    }

    public CompiledGraph compile(GraphBuilder graph) {
        return compile(graph, Map.of());
    }

    /**
     * Compiles an in-memory graph. {@code sharedInitializers} are weights handed to the session
     * by reference (e.g. a frozen base model): ONNX Runtime uses their memory without copying,
     * and several sessions can share one set.
     */
    public CompiledGraph compile(GraphBuilder graph, Map<String, ? extends OnnxTensorLike> sharedInitializers) {
        ModelProto proto = lowered(graph, sharedInitializers.keySet());
        boolean usesFusedKernels = proto.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(KernelFusion.DOMAIN));
        byte[] model = proto.toByteArray();
        try (OrtSession.SessionOptions so = sessionOptions()) {
            if (usesFusedKernels) {
                so.registerCustomOpLibrary(FusedKernels.library().orElseThrow().toString());
            }
            if (!sharedInitializers.isEmpty()) {
                so.addExternalInitializers(Map.copyOf(sharedInitializers));
            }
            return new CompiledGraph(env, env.createSession(model, so));
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime rejected graph '" + graph.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The model that {@link #compile} hands ONNX Runtime for a graph under these options: the graph's nodes with
     * transposes folded into products and, where {@link RuntimeOptions#runsFusedKernels()}, fused kernels in place
     * of the nodes they replace. {@code supplied} names initializers the session receives by reference.
     */
    public ModelProto lowered(GraphBuilder graph, java.util.Set<String> supplied) {
        ModelProto proto = ModelWriter.toProto(graph, Map.of(), supplied);
        if (options.optimization() == OptimizationLevel.EXTENDED || options.optimization() == OptimizationLevel.ALL) {
            proto = TransposedMatMulFolding.apply(proto, graph);   // the levels at which ONNX Runtime fuses kernels itself
        }
        return options.runsFusedKernels() ? KernelFusion.apply(proto, graph) : proto;
    }

    /** Compiles a model file (its external data files are found relative to it). */
    public CompiledGraph compile(Path modelFile) {
        try (OrtSession.SessionOptions so = sessionOptions()) {
            return new CompiledGraph(env, env.createSession(modelFile.toString(), so));
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime rejected model " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(options.intraOpThreads());
        so.setInterOpNumThreads(1);
        so.setOptimizationLevel(options.optimization().ort);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        String profile = System.getenv("RLHF_ORT_PROFILE");
        if (profile != null && !profile.isBlank()) {
            // diagnostics only: ONNX Runtime writes a Chrome trace of per-node timings under this prefix
            so.enableProfiling(profile);
        }
        if (options.deterministic()) {
            so.setDeterministicCompute(true);
        }
        if (options.device() == Device.CUDA) {
            requireCuda();
            so.addCUDA(0);
        }
        return so;
    }

    private void requireCuda() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new EngineException("CUDA was requested but this ONNX Runtime build has no CUDA provider "
                    + "(available: " + OrtEnvironment.getAvailableProviders() + "). Depend on "
                    + "com.microsoft.onnxruntime:onnxruntime_gpu instead of onnxruntime, with CUDA 12 and cuDNN 9 "
                    + "installed, or set the device to CPU.");
        }
    }
}
