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
import dev.rlhf.engine.runtime.NonFiniteValueException;
import dev.rlhf.engine.runtime.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gradient accumulation: {@link #step} takes several micro-batches, sums their gradients in
 * native buffers with the micro-batch graph, then applies their mean with the update graph.
 * One optimizer step thus sees an effective batch larger than fits in one forward pass.
 */
public final class AccumulatingTrainingSession implements AutoCloseable {
    private final Engine engine;
    private final CompiledGraph microGraph;
    private final CompiledGraph updateGraph;
    private final Parameters params;
    private final LearningRateSchedule schedule;
    private final DType scalarType;
    private final int microBatches;
    private final StateBuffers state;
    private final StateBuffers accumulators;
    private long step;

    /**
     * @param micro a graph prepared with {@link TrainingGraph#appendAccumulation}
     * @param update the graph from {@link TrainingGraph#updateGraph} for the same parameters
     */
    public AccumulatingTrainingSession(Engine engine, GraphBuilder micro, GraphBuilder update, Parameters params,
                                       List<String> stateNames, LearningRateSchedule schedule, int microBatches) {
        this.engine = engine;
        this.params = params;
        this.schedule = schedule;
        this.microBatches = microBatches;
        this.scalarType = micro.value(TrainingGraph.LOSS).dtype();
        this.state = new StateBuffers(engine.environment(), update, TrainingSession.carriedNames(params, stateNames));
        this.accumulators = new StateBuffers(engine.environment(), micro,
                params.trainableNames().stream().map(n -> TrainingGraph.ACC + n).toList());
        CompiledGraph compiledMicro = null;
        try {
            compiledMicro = engine.compile(micro);
            this.updateGraph = engine.compile(update);
        } catch (RuntimeException e) {
            if (compiledMicro != null) compiledMicro.close();
            state.close();
            accumulators.close();
            throw e;
        }
        this.microGraph = compiledMicro;
        params.trainableNames().forEach(p -> state.write(p, params.get(p)));
    }

    /** One optimizer step over {@code microBatches} batches; returns their mean loss. */
    public double step(List<Map<String, TensorData>> batches) {
        if (batches.size() != microBatches) {
            throw new IllegalArgumentException("expected " + microBatches + " micro-batches, got " + batches.size());
        }
        long next = step + 1;
        List<OnnxTensor> owned = new ArrayList<>();
        // zeroed here rather than after the update, so a step aborted half way leaves no partial sums
        accumulators.names().forEach(accumulators::zero);
        try {
            double lossSum = 0;
            for (Map<String, TensorData> batch : batches) {
                Map<String, OnnxTensor> inputs = TrainingSession.feeds(engine, batch, owned);
                state.feed(inputs);
                inputs.keySet().retainAll(microGraph.inputNames());
                accumulators.feed(inputs);
                Map<String, OnnxTensor> pinned = new HashMap<>();
                accumulators.pinNext(pinned, TrainingGraph.NEXT);
                try (OrtSession.Result r = microGraph.runTensors(inputs, Set.of(TrainingGraph.LOSS), pinned)) {
                    double loss = TrainingSession.scalar(r, TrainingGraph.LOSS);
                    if (!Double.isFinite(loss)) throw new NonFiniteValueException(next, TrainingGraph.LOSS, loss);
                    lossSum += loss;
                }
                accumulators.swap();
            }
            Map<String, OnnxTensor> inputs = new HashMap<>();
            state.feed(inputs);
            accumulators.feed(inputs);
            OnnxTensor stepT = Tensors.toOrt(engine.environment(), TensorData.scalar(scalarType, next));
            OnnxTensor lrT = Tensors.toOrt(engine.environment(), TensorData.scalar(scalarType, schedule.at(next)));
            owned.add(stepT);
            owned.add(lrT);
            inputs.put(TrainingGraph.STEP, stepT);
            inputs.put(TrainingGraph.LR, lrT);
            Map<String, OnnxTensor> pinned = new HashMap<>();
            state.pinNext(pinned, TrainingGraph.NEXT);
            double norm;
            try (OrtSession.Result r = updateGraph.runTensors(inputs, Set.of(TrainingGraph.GRAD_NORM), pinned)) {
                norm = TrainingSession.scalar(r, TrainingGraph.GRAD_NORM);
            }
            NonFiniteChecks.check(next, lossSum / microBatches, norm, state);
            state.swap();
            step = next;
            return lossSum / microBatches;
        } catch (OrtException e) {
            throw new EngineException("training step " + next + " failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    public long stepCount() {
        return step;
    }

    public Map<String, TensorData> state() {
        return state.readAll();
    }

    public void syncParameters() {
        for (String p : params.trainableNames()) params.set(p, state.read(p));
    }

    @Override
    public void close() {
        state.close();
        accumulators.close();
        microGraph.close();
        updateGraph.close();
    }
}
