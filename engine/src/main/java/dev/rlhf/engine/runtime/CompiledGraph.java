package dev.rlhf.engine.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rlhf.engine.graph.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An ONNX Runtime session over one model. Every run funnels through {@link #runTensors}, which checks names. */
public final class CompiledGraph implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Set<String> inputNames;
    private final Set<String> outputNames;

    CompiledGraph(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputNames = new TreeSet<>(session.getInputInfo().keySet());
        this.outputNames = new TreeSet<>(session.getOutputInfo().keySet());
    }

    public Set<String> inputNames() {
        return inputNames;
    }

    public Set<String> outputNames() {
        return outputNames;
    }

    public Map<String, NodeInfo> outputInfo() throws OrtException {
        return session.getOutputInfo();
    }

    OrtEnvironment environment() {
        return env;
    }

    /** Runs with Java-side tensors and returns every output as a Java-side copy. */
    public Map<String, TensorData> run(Map<String, TensorData> feeds) {
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, TensorData> e : feeds.entrySet()) {
                OnnxTensor t = Tensors.toOrt(env, e.getValue());
                owned.add(t);
                inputs.put(e.getKey(), t);
            }
            try (OrtSession.Result result = runTensors(inputs, outputNames, Map.of())) {
                Map<String, TensorData> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), Tensors.fromOrt((OnnxTensor) e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new EngineException("running graph failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /**
     * Runs with ONNX Runtime tensors. Pinned outputs are written in place; a pinned output must not
     * also be an input of the same run (ONNX Runtime then silently computes wrong values).
     */
    public OrtSession.Result runTensors(Map<String, OnnxTensor> inputs, Set<String> requested,
                                        Map<String, OnnxTensor> pinned) throws OrtException {
        if (!inputs.keySet().equals(inputNames)) {
            throw new IllegalArgumentException("graph expects inputs " + inputNames + " but was given " + inputs.keySet());
        }
        for (String o : requested) {
            if (!outputNames.contains(o)) {
                throw new IllegalArgumentException("no output '" + o + "'; graph outputs are " + outputNames);
            }
        }
        for (Map.Entry<String, OnnxTensor> p : pinned.entrySet()) {
            if (!outputNames.contains(p.getKey())) {
                throw new IllegalArgumentException("no output '" + p.getKey() + "' to pin; graph outputs are " + outputNames);
            }
            if (inputs.values().stream().anyMatch(in -> in == p.getValue())) {
                throw new IllegalArgumentException("output buffer '" + p.getKey() + "' is also an input of this run");
            }
        }
        Set<String> unpinned = new TreeSet<>(requested);
        unpinned.removeAll(pinned.keySet());
        return session.run(inputs, unpinned, pinned);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new EngineException("closing session failed", e);
        }
    }
}
