package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A decoder-only language model configured by a Hugging Face config and holding its weights under
 * Hugging Face names: the common part of {@link Gpt2} and {@link Llama}. Graphs it writes bind the
 * parameters through {@link Parameters}, so freezing and LoRA apply as to any engine model.
 */
public abstract sealed class DecoderLm implements CausalLm permits Gpt2, Llama {
    protected final ModelConfig config;
    protected final Parameters params;

    protected DecoderLm(ModelConfig config, Parameters params) {
        this.config = config;
        this.params = params;
    }

    /** The builder for a config's architecture over the given weights (checked by name and shape). */
    public static DecoderLm of(ModelConfig config, Parameters params) {
        Map<String, long[]> required = new LinkedHashMap<>(parameterShapes(config));
        Map<String, long[]> optional = new LinkedHashMap<>();
        // a reward-model checkpoint may lack the untied LM head; a policy may carry a score head
        String head = config.architecture() == ModelConfig.Architecture.GPT2 ? Gpt2.HEAD : Llama.HEAD;
        if (required.containsKey(head)) optional.put(head, required.remove(head));
        optional.put(RewardModel.SCORE, new long[] {1, config.hiddenSize()});
        ModelWeights.check(required, optional, params.asMap(), "the weights");
        params.asMap().forEach((name, t) -> {
            if (t.dtype() != config.dtype()) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype() + ", the model computes in " + config.dtype());
            }
        });
        DecoderLm lm = switch (config.architecture()) {
            case GPT2 -> new Gpt2(config, params);
            case LLAMA -> new Llama(config, params);
        };
        checkAdapters(params);
        return lm;
    }

    /** Adapters attached before the layout was known would be (out, r) where (in, r) is needed. */
    private static void checkAdapters(Parameters p) {
        for (String name : p.names()) {
            if (!name.endsWith(Lora.A)) continue;
            String weight = name.substring(0, name.length() - Lora.A.length());
            long in = p.get(weight).dims()[p.isStoredOutByIn(weight) ? 1 : 0];
            if (p.get(name).dims()[0] != in) {
                throw new IllegalArgumentException("LoRA adapter '" + name + "' has " + p.get(name).dims()[0]
                        + " rows, its weight takes " + in + " inputs: attach adapters after building the model");
            }
        }
    }

    /** Loads a Hugging Face folder or a GGUF file (see {@link ModelWeights#read}) computing in {@code dtype}. */
    public static DecoderLm load(Path dirOrGguf, DType dtype) throws IOException {
        ModelWeights.Checkpoint c = ModelWeights.read(dirOrGguf, dtype);
        return of(c.config(), ModelWeights.parameters(c.tensors()));
    }

    /** Every backbone and LM-head parameter of a config, by Hugging Face name, with its shape. */
    public static Map<String, long[]> parameterShapes(ModelConfig config) {
        return switch (config.architecture()) {
            case GPT2 -> Gpt2.parameterShapes(config);
            case LLAMA -> Llama.parameterShapes(config);
        };
    }

    /**
     * Fresh weights as transformers initialises them: normal(0, std) matrices and embeddings,
     * norms at one, biases at zero. For tests and small experiments; real models are loaded.
     */
    public static DecoderLm initialise(ModelConfig config, Random rng, double std) {
        Parameters p = new Parameters();
        parameterShapes(config).forEach((name, dims) -> {
            boolean norm = name.contains("norm") || name.contains("ln_");
            if (norm && name.endsWith("weight")) p.add(name, Parameters.filled(config.dtype(), 1.0, dims));
            else if (name.endsWith("bias")) p.add(name, Parameters.filled(config.dtype(), 0.0, dims));
            else p.add(name, Parameters.normal(rng, config.dtype(), std, dims));
        });
        return of(config, p);
    }

    @Override
    public LmShape shape() {
        return config.lmShape();
    }

    public ModelConfig config() {
        return config;
    }

    public Parameters parameters() {
        return params;
    }

    /**
     * Next-token logits (B, T, V) for final hidden states (B, T, C). Generation may call this on the
     * last position only (the full-sequence logits of {@link #forward} are then never computed:
     * nodes no output depends on are not exported).
     */
    public abstract Value lmHead(Ops o, Value hidden);

    @Override
    public final Forward forward(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past) {
        Forward f = hidden(o, inputIds, positionIds, attentionMask, past);
        return new Forward(lmHead(o, f.hidden()), f.hidden(), f.present());
    }

    /** The forward pass without the LM head: {@code logits} is null (a reward model reads {@code hidden}). */
    public final Forward hidden(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past) {
        if (!past.isEmpty() && past.size() != config.layers()) {
            throw new IllegalArgumentException("the cache has " + past.size() + " layers, the model " + config.layers());
        }
        return backbone(o, inputIds, positionIds, attentionMask, past);
    }

    protected abstract Forward backbone(Ops o, Value inputIds, Value positionIds, Value attentionMask, List<KvCache> past);

    /** The weight the LM head multiplies by, (V, C); fails clearly for a checkpoint without one. */
    protected Value headWeight(Ops o, String untiedName, String embeddingName) {
        String name = config.tiedEmbeddings() ? embeddingName : untiedName;
        if (!params.has(name)) {
            throw new IllegalStateException("these weights have no LM head '" + name + "' (a reward-model checkpoint?)");
        }
        return params.bind(o.graph(), name);
    }
}
