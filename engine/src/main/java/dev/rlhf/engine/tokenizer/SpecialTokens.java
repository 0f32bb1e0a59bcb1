package dev.rlhf.engine.tokenizer;

import java.util.Optional;

/**
 * The token strings a model gives special roles (from {@code tokenizer_config.json} or GGUF
 * metadata); each may be absent (null).
 */
public record SpecialTokens(String bos, String eos, String pad, String unk) {
    public static SpecialTokens none() {
        return new SpecialTokens(null, null, null, null);
    }

    public Optional<String> bosToken() {
        return Optional.ofNullable(bos);
    }

    public Optional<String> eosToken() {
        return Optional.ofNullable(eos);
    }

    public Optional<String> padToken() {
        return Optional.ofNullable(pad);
    }

    public Optional<String> unkToken() {
        return Optional.ofNullable(unk);
    }
}
