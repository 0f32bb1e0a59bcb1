package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.reward.RewardGraphs;
import dev.rlhf.engine.reward.RewardModelExport;
import dev.rlhf.engine.reward.SequenceBatch;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PromptFormat;
import dev.rlhf.rewardmodel.training.StartingPoint;
import dev.rlhf.rewardmodel.training.TextEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A reward-model folder opened for scoring, as the worker serves it: the exported {@code reward_model.onnx},
 * the encoder, and {@code metadata.json} (for the token budget and the run's settings). Works on folders
 * written by {@code rlhf train rm} and on the worker's registry versions alike.
 */
public final class SavedRewardModel implements AutoCloseable {

    private final JsonNode metadata;
    private final CompiledGraph graph;
    private final TextEncoder encoder;
    private final int maxLength;

    private SavedRewardModel(JsonNode metadata, CompiledGraph graph, TextEncoder encoder, int maxLength) {
        this.metadata = metadata;
        this.graph = graph;
        this.encoder = encoder;
        this.maxLength = maxLength;
    }

    public static SavedRewardModel open(Engine engine, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw CliFailure.badInput(folder + ": no such folder (a reward model is a folder written by rlhf train rm)");
        }
        Path onnx = folder.resolve(RewardModelExport.FILE), meta = folder.resolve("metadata.json");
        if (!Files.isRegularFile(onnx) || !Files.isRegularFile(meta)) {
            throw CliFailure.badInput(folder + ": not a reward-model folder (it needs " + RewardModelExport.FILE
                    + " and metadata.json, as rlhf train rm writes them)");
        }
        JsonNode metadata;
        try {
            metadata = new ObjectMapper().readTree(meta.toFile());
        } catch (IOException e) {
            throw CliFailure.badInput(meta + ": not readable JSON: " + e.getMessage());
        }
        int maxLength = metadata.path("maxLength").asInt(0);
        if (maxLength < 2) {
            throw CliFailure.badInput(meta + ": no \"maxLength\" of at least 2");
        }
        TextEncoder encoder;
        try {
            encoder = StartingPoint.encoderOf(folder);
        } catch (IOException e) {
            throw CliFailure.badInput(folder + ": its tokenizer cannot be read: " + e.getMessage());
        }
        return new SavedRewardModel(metadata, engine.compile(onnx), encoder, maxLength);
    }

    public JsonNode metadata() {
        return metadata;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The reward of every distinct completion of {@code pairs}, by completion id. */
    public Map<UUID, Double> rewards(List<LabelledPair> pairs, int batchSize) {
        Map<UUID, String> texts = new LinkedHashMap<>();
        for (LabelledPair p : pairs) {
            texts.putIfAbsent(p.chosenId(), PromptFormat.withCompletion(p.prompt(), p.chosen()));
            texts.putIfAbsent(p.rejectedId(), PromptFormat.withCompletion(p.prompt(), p.rejected()));
        }
        List<UUID> ids = new ArrayList<>(texts.keySet());
        double[] scores = score(new ArrayList<>(texts.values()), batchSize);
        Map<UUID, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) out.put(ids.get(i), scores[i]);
        return out;
    }

    /** One reward per rendered text, the end of each kept when it is longer than the model's budget. */
    public double[] score(List<String> texts, int batchSize) {
        double[] out = new double[texts.size()];
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<int[]> sequences = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                sequences.add(encoder.encodeTail(text, maxLength));
            }
            SequenceBatch batch = SequenceBatch.of(sequences, encoder.padId());   // (N, T) each
            Map<String, TensorData> feeds = new LinkedHashMap<>();
            feeds.put(RewardGraphs.INPUT_IDS, batch.inputIds());
            feeds.put(RewardGraphs.POSITION_IDS, batch.positionIds());
            feeds.put(RewardGraphs.ATTENTION_MASK, batch.attentionMask());
            double[] rewards = graph.run(feeds).get(RewardGraphs.REWARDS).toDoubles();   // (N,)
            System.arraycopy(rewards, 0, out, from, rewards.length);
        }
        return out;
    }

    @Override
    public void close() {
        graph.close();
        encoder.close();
    }
}
