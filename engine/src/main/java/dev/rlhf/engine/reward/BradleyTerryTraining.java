package dev.rlhf.engine.reward;

import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.Optimizer;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.train.TrainingSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains a {@link RewardModel} on preference pairs with the Bradley–Terry loss, one ONNX Runtime call
 * per step ({@link RewardGraphs#training}). Which parameters train is decided before construction, on
 * the model's {@code Parameters} (freeze, LoRA).
 */
public final class BradleyTerryTraining implements AutoCloseable {
    private final RewardModel model;
    private final TrainingSession session;
    private final int padId;
    private final int pairsPerStep;

    /**
     * @param frozen native copies of the frozen weights, shared with a {@link RewardScoring} of the same
     *               model, or null to compile them into this session
     */
    public BradleyTerryTraining(Engine engine, RewardModel model, int pairsPerStep, Optimizer optimizer,
                                LearningRateSchedule schedule,
                                Function<String, ParamGroup> groups, double maxGradNorm, double centering, int padId,
                                FrozenWeights frozen) {
        this.model = model;
        this.padId = padId;
        this.pairsPerStep = pairsPerStep;
        model.backbone().parameters().training(true);
        GraphBuilder graph = RewardGraphs.training(model, pairsPerStep, optimizer, groups, maxGradNorm, centering);
        this.session = new TrainingSession(engine, graph, model.backbone().parameters(), optimizer.stateNames(), schedule,
                frozen);
    }

    /**
     * One optimizer step on exactly {@code pairsPerStep} pairs; returns the loss before the update.
     *
     * @param margins (P) per pair, 0 for none
     */
    public double step(List<int[]> chosen, List<int[]> rejected, double[] margins) {
        if (chosen.size() != pairsPerStep || rejected.size() != pairsPerStep || margins.length != pairsPerStep) {
            throw new IllegalArgumentException("a step takes " + pairsPerStep + " chosen and rejected sequences and "
                    + "margins, got " + chosen.size() + ", " + rejected.size() + " and " + margins.length);
        }
        List<int[]> all = new ArrayList<>(chosen);
        all.addAll(rejected);
        SequenceBatch batch = SequenceBatch.of(all, padId);
        Map<String, TensorData> feeds = new LinkedHashMap<>();
        feeds.put(RewardGraphs.INPUT_IDS, batch.inputIds());
        feeds.put(RewardGraphs.POSITION_IDS, batch.positionIds());
        feeds.put(RewardGraphs.ATTENTION_MASK, batch.attentionMask());
        feeds.put(RewardGraphs.MARGIN, TensorData.ofReals(model.backbone().config().dtype(),
                new long[] {margins.length}, margins));
        return session.step(feeds);
    }

    public long stepCount() {
        return session.stepCount();
    }

    /** Trainable parameters and optimizer state, for keeping the best checkpoint. */
    public Map<String, TensorData> state() {
        return session.state();
    }

    public void restore(Map<String, TensorData> state, long atStep) {
        session.restore(state, atStep);
    }

    /** Copies the trained values into the model's parameters (before scoring or export). */
    public void syncParameters() {
        session.syncParameters();
    }

    @Override
    public void close() {
        session.close();
    }
}
