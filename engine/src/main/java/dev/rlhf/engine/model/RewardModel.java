package dev.rlhf.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A scalar reward on a decoder backbone, as transformers' {@code ...ForSequenceClassification}
 * with {@code num_labels=1}: {@value #SCORE} (1, C), no bias, applied to the final hidden state of
 * each sequence's last real token. The mask decides which token that is, so left padding (the last
 * position) and right padding (the last 1 of the mask) both work.
 */
public final class RewardModel {
    public static final String SCORE = "score.weight";
    private static final String UNTIED_LM_HEAD = "lm_head.weight";
    private final DecoderLm backbone;

    /**
     * A reward model over a backbone whose parameters hold {@value #SCORE}. An untied LM head is
     * dropped from the parameters: a reward model never uses it, and trained it would only carry
     * optimizer state (and decay).
     */
    public RewardModel(DecoderLm backbone) {
        if (!backbone.parameters().has(SCORE)) {
            throw new IllegalArgumentException("the weights have no reward head '" + SCORE + "'; use withNewHead");
        }
        this.backbone = backbone;
        backbone.parameters().storedOutByIn(n -> n.equals(SCORE));
        if (!backbone.config().tiedEmbeddings()) backbone.parameters().remove(UNTIED_LM_HEAD);
    }

    /** Adds a fresh head, normal(0, std) as transformers initialises it (std = initializer_range, 0.02), to a policy's backbone. */
    public static RewardModel withNewHead(DecoderLm backbone, Random rng, double std) {
        ModelConfig c = backbone.config();
        backbone.parameters().add(SCORE, Parameters.normal(rng, c.dtype(), std, 1, c.hiddenSize()));
        return new RewardModel(backbone);
    }

    /**
     * Writes the reward model as transformers' {@code ...ForSequenceClassification} with one label
     * (config.json: {@code architectures}, {@code num_labels}; weights under Hugging Face names).
     */
    public void save(Path dir, JsonNode configJson) throws IOException {
        ObjectNode config = configJson.deepCopy();
        String arch = backbone.config().architecture() == ModelConfig.Architecture.GPT2
                ? "GPT2ForSequenceClassification" : "LlamaForSequenceClassification";
        config.putArray("architectures").add(arch);
        config.putObject("id2label").put("0", "LABEL_0");
        config.putObject("label2id").put("LABEL_0", 0);
        ModelWeights.save(dir, config, backbone.parameters());
    }

    public DecoderLm backbone() {
        return backbone;
    }

    /**
     * @param inputIds      (B, T) int64
     * @param positionIds   (B, T) int64
     * @param attentionMask (B, T) int64, 1 on real tokens
     * @return (B) one reward per sequence
     */
    public Value scores(Ops o, Value inputIds, Value positionIds, Value attentionMask) {
        Value hidden = backbone.hidden(o, inputIds, positionIds, attentionMask, List.of()).hidden();   // (B, T, C)
        Value w = backbone.parameters().bind(o.graph(), SCORE);                                      // (1, C)
        Value perToken = o.squeeze(o.matMul(hidden, o.transpose(w, 1, 0)), -1);                     // (B, T)
        Value t = o.dimSize(inputIds, 1);
        Value positions = o.unsqueeze(o.range(o.scalar(DType.INT64, 0), t), 0);                      // (1, T)
        Value last = o.reduceMax(o.mul(attentionMask, positions), new long[] {1}, true);            // (B, 1)
        return o.squeeze(o.gatherElements(perToken, last, 1), 1);                                   // (B)
    }
}
