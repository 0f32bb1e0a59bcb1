package dev.rlhf.engine.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.EngineException;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.runtime.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link TrainingGraph} step after step: one ONNX Runtime call per step, with trainable
 * parameters and optimizer state kept in native double buffers ({@link StateBuffers}) so they
 * never round-trip through Java objects between steps.
 */
public final class TrainingSession implements AutoCloseable {
    private final Engine engine;
    private final CompiledGraph compiled;
    private final Parameters params;
    private final LearningRateSchedule schedule;
    private final DType scalarType;
    private final StateBuffers state;
    private long step;

    public TrainingSession(Engine engine, GraphBuilder graph, Parameters params, List<String> stateNames,
                           LearningRateSchedule schedule) {
        this(engine, graph, params, stateNames, schedule, null);
    }

    /**
     * @param frozen native copies of the frozen parameters shared with other sessions, or null to
     *               serialise frozen parameters into this session's model
     */
    public TrainingSession(Engine engine, GraphBuilder graph, Parameters params, List<String> stateNames,
                           LearningRateSchedule schedule, FrozenWeights frozen) {
        this.engine = engine;
        this.params = params;
        this.schedule = schedule;
        this.scalarType = graph.value(TrainingGraph.LOSS).dtype();
        this.state = new StateBuffers(engine.environment(), graph, carriedNames(params, stateNames));
        try {
            this.compiled = frozen == null ? engine.compile(graph)
                    : engine.compile(graph, frozen.forInitializers(graph.initializers().keySet()));
        } catch (RuntimeException e) {
            state.close();   // native buffers are not garbage collected promptly
            throw e;
        }
        params.trainableNames().forEach(p -> state.write(p, params.get(p)));
    }

    /** Trainable parameters, then each one's optimizer state. */
    static List<String> carriedNames(Parameters params, List<String> stateNames) {
        List<String> names = new ArrayList<>(params.trainableNames());
        for (String p : params.trainableNames()) {
            for (String s : stateNames) names.add(TrainingGraph.stateName(p, s));
        }
        return names;
    }

    /** Takes one optimizer step on a batch and returns its loss (computed before the update). */
    public double step(Map<String, TensorData> batch) {
        long next = step + 1;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = feeds(engine, batch, owned);
            inputs.put(TrainingGraph.STEP, own(owned, TensorData.scalar(scalarType, next)));
            inputs.put(TrainingGraph.LR, own(owned, TensorData.scalar(scalarType, schedule.at(next))));
            state.feed(inputs);
            Map<String, OnnxTensor> pinned = new HashMap<>();
            state.pinNext(pinned, TrainingGraph.NEXT);
            double loss, norm;
            try (OrtSession.Result r = compiled.runTensors(inputs, Set.of(TrainingGraph.LOSS, TrainingGraph.GRAD_NORM), pinned)) {
                loss = scalar(r, TrainingGraph.LOSS);
                norm = scalar(r, TrainingGraph.GRAD_NORM);
            }
            NonFiniteChecks.check(next, loss, norm, state);
            state.swap();
            step = next;
            return loss;
        } catch (OrtException e) {
            throw new EngineException("training step " + next + " failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor own(List<OnnxTensor> owned, TensorData t) throws OrtException {
        OnnxTensor o = Tensors.toOrt(engine.environment(), t);
        owned.add(o);
        return o;
    }

    static Map<String, OnnxTensor> feeds(Engine engine, Map<String, TensorData> batch, List<OnnxTensor> owned)
            throws OrtException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : batch.entrySet()) {
            OnnxTensor t = Tensors.toOrt(engine.environment(), e.getValue());
            owned.add(t);
            inputs.put(e.getKey(), t);
        }
        return inputs;
    }

    static double scalar(OrtSession.Result r, String name) {
        return Tensors.fromOrt((OnnxTensor) r.get(name).orElseThrow()).scalarValue();
    }

    public long stepCount() {
        return step;
    }

    /** A Java-side copy of every carried tensor (parameters and optimizer state). */
    public Map<String, TensorData> state() {
        return state.readAll();
    }

    /** Restores carried tensors and the step counter, e.g. from a checkpoint. */
    public void restore(Map<String, TensorData> saved, long atStep) {
        for (String name : state.names()) {
            TensorData t = saved.get(name);
            if (t == null) throw new IllegalArgumentException("checkpoint lacks '" + name + "'");
            state.write(name, t);
        }
        step = atStep;
    }

    /**
     * Takes over what another session carried for the tensors both carry (e.g. after unfreezing
     * more layers); the rest keeps its initial value: the parameter as given, state at zero.
     */
    public void adopt(Map<String, TensorData> carried, long atStep) {
        for (String name : state.names()) {
            TensorData t = carried.get(name);
            if (t != null) state.write(name, t);
        }
        step = atStep;
    }

    /** Copies the trained values back into the {@link Parameters} (e.g. before export). */
    public void syncParameters() {
        for (String p : params.trainableNames()) params.set(p, state.read(p));
    }

    @Override
    public void close() {
        state.close();
        compiled.close();
    }
}
