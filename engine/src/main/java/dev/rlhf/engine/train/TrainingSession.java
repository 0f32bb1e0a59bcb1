package dev.rlhf.engine.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.EngineException;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.runtime.NonFiniteValueException;
import dev.rlhf.engine.runtime.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link TrainingGraph} step after step. Trainable parameters and optimizer state live in
 * two sets of native buffers: a step reads set A and writes set B as pinned outputs, then the
 * sets swap. (ONNX Runtime computes wrong values, silently, when a pinned output is also an input.)
 */
public final class TrainingSession implements AutoCloseable {
    private final Engine engine;
    private final CompiledGraph compiled;
    private final Parameters params;
    private final LearningRateSchedule schedule;
    private final DType scalarType;
    /** Every tensor carried from step to step: parameters, then optimizer state. */
    private final List<String> carried = new ArrayList<>();
    private final Map<String, OnnxTensor[]> buffers = new HashMap<>();
    private int current;
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
        this.compiled = frozen == null ? engine.compile(graph)
                : engine.compile(graph, frozen.forInitializers(graph.initializers().keySet()));
        try {
            for (String p : params.trainableNames()) {
                carried.add(p);
                for (String s : stateNames) carried.add(TrainingGraph.stateName(p, s));
            }
            for (String name : carried) {
                Value v = graph.value(name);
                OnnxTensor[] pair = {
                        Tensors.allocate(engine.environment(), v.dtype(), v.shape().sizes()),
                        Tensors.allocate(engine.environment(), v.dtype(), v.shape().sizes())};
                buffers.put(name, pair);
            }
        } catch (OrtException e) {
            close();
            throw new EngineException("allocating training state failed", e);
        }
        params.trainableNames().forEach(p -> write(p, params.get(p)));
    }

    /** Takes one optimizer step on a batch and returns its loss (computed before the update). */
    public double step(Map<String, TensorData> batch) {
        long next = step + 1;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, TensorData> e : batch.entrySet()) {
                OnnxTensor t = Tensors.toOrt(engine.environment(), e.getValue());
                owned.add(t);
                inputs.put(e.getKey(), t);
            }
            OnnxTensor stepT = Tensors.toOrt(engine.environment(), TensorData.scalar(scalarType, next));
            OnnxTensor lrT = Tensors.toOrt(engine.environment(), TensorData.scalar(scalarType, schedule.at(next)));
            owned.add(stepT);
            owned.add(lrT);
            inputs.put(TrainingGraph.STEP, stepT);
            inputs.put(TrainingGraph.LR, lrT);
            Map<String, OnnxTensor> pinned = new HashMap<>();
            for (String name : carried) {
                inputs.put(name, buffers.get(name)[current]);
                pinned.put(TrainingGraph.NEXT + name, buffers.get(name)[1 - current]);
            }
            double loss, norm;
            try (OrtSession.Result r = compiled.runTensors(inputs, Set.of(TrainingGraph.LOSS, TrainingGraph.GRAD_NORM), pinned)) {
                loss = Tensors.fromOrt((OnnxTensor) r.get(TrainingGraph.LOSS).orElseThrow()).scalarValue();
                norm = Tensors.fromOrt((OnnxTensor) r.get(TrainingGraph.GRAD_NORM).orElseThrow()).scalarValue();
            }
            checkFinite(next, loss, norm);
            current = 1 - current;
            step = next;
            return loss;
        } catch (OrtException e) {
            throw new EngineException("training step " + next + " failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /** The kept state stays the one before this step, so a caller can inspect or resume from it. */
    private void checkFinite(long at, double loss, double norm) {
        if (!Double.isFinite(loss)) throw new NonFiniteValueException(at, TrainingGraph.LOSS, loss);
        if (!Double.isFinite(norm)) {
            for (String name : carried) {
                for (double v : Tensors.fromOrt(buffers.get(name)[1 - current]).toDoubles()) {
                    if (!Double.isFinite(v)) throw new NonFiniteValueException(at, TrainingGraph.NEXT + name, v);
                }
            }
            throw new NonFiniteValueException(at, TrainingGraph.GRAD_NORM, norm);
        }
    }

    public long stepCount() {
        return step;
    }

    /** A Java-side copy of every carried tensor (parameters and optimizer state). */
    public Map<String, TensorData> state() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (String name : carried) out.put(name, Tensors.fromOrt(buffers.get(name)[current]));
        return out;
    }

    /** Restores carried tensors and the step counter, e.g. from a checkpoint. */
    public void restore(Map<String, TensorData> state, long atStep) {
        for (String name : carried) {
            TensorData t = state.get(name);
            if (t == null) throw new IllegalArgumentException("checkpoint lacks '" + name + "'");
            write(name, t);
        }
        step = atStep;
    }

    /** Copies the trained values back into the {@link Parameters} (e.g. before export). */
    public void syncParameters() {
        for (String p : params.trainableNames()) params.set(p, Tensors.fromOrt(buffers.get(p)[current]));
    }

    private void write(String name, TensorData t) {
        OnnxTensor target = buffers.get(name)[current];
        var dst = target.getBufferRef().map(b -> (java.nio.Buffer) b).orElseThrow();
        java.nio.ByteBuffer bytes = (java.nio.ByteBuffer) dst;
        bytes.clear();
        bytes.put(t.bytes());
        bytes.clear();
    }

    @Override
    public void close() {
        buffers.values().forEach(pair -> {
            for (OnnxTensor t : pair) if (t != null) t.close();
        });
        compiled.close();
    }
}
