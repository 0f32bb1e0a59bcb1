package dev.rlhf.rewardmodel.scoring;

import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.reward.RewardGraphs;
import dev.rlhf.engine.reward.SequenceBatch;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.rewardmodel.training.TextEncoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A published version loaded for scoring: its exported graph and its encoder. */
public final class ServingModel implements AutoCloseable {

    private final String modelId;
    private final int version;
    private final CompiledGraph graph;
    private final TextEncoder encoder;
    private final int maxLength;

    /** Loads a version folder: its serving graph and its encoder. */
    public static ServingModel open(dev.rlhf.engine.runtime.Engine engine, java.nio.file.Path folder,
                                    dev.rlhf.rewardmodel.registry.VersionMetadata metadata) {
        try {
            return new ServingModel(metadata.modelId(), metadata.version(),
                    engine.compile(folder.resolve(dev.rlhf.engine.reward.RewardModelExport.FILE)),
                    dev.rlhf.rewardmodel.training.StartingPoint.encoderOf(folder), metadata.maxLength());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("loading reward model version " + metadata.version() + " from " + folder
                    + " failed: " + e.getMessage(), e);
        }
    }

    ServingModel(String modelId, int version, CompiledGraph graph, TextEncoder encoder, int maxLength) {
        this.modelId = modelId;
        this.version = version;
        this.graph = graph;
        this.encoder = encoder;
        this.maxLength = maxLength;
    }

    public String modelId() {
        return modelId;
    }

    public int version() {
        return version;
    }

    /** One reward per text (prompt and completion as {@code PromptFormat} renders them), {@code batchSize} per call. */
    public double[] score(List<String> texts, int batchSize) {
        double[] out = new double[texts.size()];
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<int[]> sequences = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                sequences.add(encoder.encodeTail(text, maxLength));
            }
            SequenceBatch batch = SequenceBatch.of(sequences, encoder.padId());
            Map<String, TensorData> feeds = new LinkedHashMap<>();
            feeds.put(RewardGraphs.INPUT_IDS, batch.inputIds());
            feeds.put(RewardGraphs.POSITION_IDS, batch.positionIds());
            feeds.put(RewardGraphs.ATTENTION_MASK, batch.attentionMask());
            double[] rewards = graph.run(feeds).get(RewardGraphs.REWARDS).toDoubles();
            System.arraycopy(rewards, 0, out, from, rewards.length);
        }
        return out;
    }

    /** Scoring calls holding this model; it is closed only when none is left. */
    private int users;
    private boolean retired;
    private boolean closed;

    /** Marks a call as using the model; false if it is already closed. */
    synchronized boolean acquire() {
        if (closed) return false;
        users++;
        return true;
    }

    synchronized void release() {
        users--;
        if (retired && users == 0) closeNow();
    }

    /** Closes now if unused, or when the last call using it ends. */
    synchronized void retire() {
        retired = true;
        if (users == 0) closeNow();
    }

    private void closeNow() {
        if (!closed) {
            closed = true;
            graph.close();
            encoder.close();
        }
    }

    @Override
    public synchronized void close() {
        retire();
    }
}
