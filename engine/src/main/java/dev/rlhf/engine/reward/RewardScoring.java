package dev.rlhf.engine.reward;

import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.train.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores sequences with a reward model while it trains: frozen weights are compiled in, trainable ones
 * are fed from the model's {@code Parameters} on every call, so after {@code syncParameters} the scores
 * are those of the current weights without recompiling.
 */
public final class RewardScoring implements AutoCloseable {
    private final Parameters params;
    private final CompiledGraph compiled;
    private final int padId;

    /** @param frozen native copies of the frozen weights shared with other sessions, or null to compile them in */
    public RewardScoring(Engine engine, RewardModel model, int padId, FrozenWeights frozen) {
        this.params = model.backbone().parameters();
        this.padId = padId;
        boolean training = params.training();
        params.training(false);   // no dropout when scoring
        try {
            GraphBuilder graph = RewardGraphs.scoring(model);
            this.compiled = frozen == null ? engine.compile(graph)
                    : engine.compile(graph, frozen.forInitializers(graph.initializers().keySet()));
        } finally {
            params.training(training);
        }
    }

    /** One reward per sequence, in order, {@code batchSize} sequences per call. */
    public double[] score(List<int[]> sequences, int batchSize) {
        double[] out = new double[sequences.size()];
        for (int from = 0; from < sequences.size(); from += batchSize) {
            List<int[]> part = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
            SequenceBatch batch = SequenceBatch.of(part, padId);
            Map<String, TensorData> feeds = new LinkedHashMap<>();
            feeds.put(RewardGraphs.INPUT_IDS, batch.inputIds());
            feeds.put(RewardGraphs.POSITION_IDS, batch.positionIds());
            feeds.put(RewardGraphs.ATTENTION_MASK, batch.attentionMask());
            for (String name : params.trainableNames()) {
                feeds.put(name, params.get(name));
            }
            double[] rewards = compiled.run(feeds).get(RewardGraphs.REWARDS).toDoubles();
            System.arraycopy(rewards, 0, out, from, rewards.length);
        }
        return out;
    }

    @Override
    public void close() {
        compiled.close();
    }
}
