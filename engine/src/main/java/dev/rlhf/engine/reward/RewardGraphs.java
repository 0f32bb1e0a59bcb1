package dev.rlhf.engine.reward;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.loss.BradleyTerryLoss;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.optim.Optimizer;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.train.TrainingGraph;

import java.util.function.Function;

/**
 * The graphs of a {@link RewardModel}: scoring, and Bradley–Terry training. Training runs chosen and
 * rejected sequences as one batch of 2P (the first P rows chosen, the last P rejected) so the backbone
 * runs once per step. Dimension letters: P pairs, N = 2P sequences, T time.
 */
public final class RewardGraphs {
    public static final String INPUT_IDS = "input_ids";
    public static final String POSITION_IDS = "position_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    /** (P) the margin each chosen reward must beat the rejected one by. */
    public static final String MARGIN = "margin";
    /** (N) one reward per sequence. */
    public static final String REWARDS = "rewards";

    private RewardGraphs() {
    }

    /** input_ids, position_ids, attention_mask (N, T) int64 → rewards (N). */
    public static GraphBuilder scoring(RewardModel model) {
        GraphBuilder g = new GraphBuilder("reward_scores");
        Ops o = new Ops(g);
        Value[] in = sequenceInputs(g, "sequences");
        g.output(model.scores(o, in[0], in[1], in[2]), REWARDS);
        return g;
    }

    /**
     * Scalar loss {@code mean(-log σ(r_c - r_r - margin)) + centering * mean((r_c + r_r)^2)} (the second
     * term, from TRL's {@code center_rewards_coefficient}, keeps rewards near zero), its gradient, clipping
     * and the optimizer update, in one graph ({@link TrainingGraph#append}).
     *
     * @param pairs     P, fixed: the mean over pairs is differentiated over a static axis
     * @param centering 0 for no centering term
     */
    public static GraphBuilder training(RewardModel model, int pairs, Optimizer optimizer,
                                        Function<String, ParamGroup> groups, double maxGradNorm, double centering) {
        GraphBuilder g = new GraphBuilder("reward_bradley_terry");
        Ops o = new Ops(g);
        Value loss = loss(o, model, pairs, centering);
        TrainingGraph.append(o, loss, model.backbone().parameters(), optimizer, groups, maxGradNorm);
        return g;
    }

    /** The loss alone, as a graph output {@value TrainingGraph#LOSS} (for gradient checks). */
    public static Value loss(Ops o, RewardModel model, int pairs, double centering) {
        GraphBuilder g = o.graph();
        DType dtype = model.backbone().config().dtype();
        Value[] in = sequenceInputs(g, 2L * pairs);
        Value margin = g.input(MARGIN, dtype, Shape.of(pairs));
        Value rewards = model.scores(o, in[0], in[1], in[2]);                          // (N)
        Value byRole = o.reshape(rewards, 2, pairs);                                     // (2, P)
        Value chosen = o.reshape(o.slice(byRole, new long[] {0}, new long[] {1}, new long[] {0}), -1);   // (P)
        Value rejected = o.reshape(o.slice(byRole, new long[] {1}, new long[] {2}, new long[] {0}), -1); // (P)
        Value loss = BradleyTerryLoss.loss(o, chosen, rejected, margin);
        if (centering > 0) {
            Value sum = o.add(chosen, rejected);
            loss = o.add(loss, o.mul(o.meanAll(o.mul(sum, sum)), centering));
        }
        return loss;
    }

    private static Value[] sequenceInputs(GraphBuilder g, Object batch) {
        Shape shape = Shape.symbolic(batch, "time");
        return new Value[] {g.input(INPUT_IDS, DType.INT64, shape), g.input(POSITION_IDS, DType.INT64, shape),
                g.input(ATTENTION_MASK, DType.INT64, shape)};
    }
}
