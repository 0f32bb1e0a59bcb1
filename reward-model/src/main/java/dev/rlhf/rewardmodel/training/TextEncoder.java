package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Text to token ids for a reward model: the model's own tokenizer, or for a model that has none and a
 * vocabulary of at least 256 entries (tiny test models), the UTF-8 bytes as ids.
 */
public interface TextEncoder extends AutoCloseable {

    int[] encode(String text);

    /** How it encodes, as metadata.json records it: {@code tokenizer.json} or {@code utf8-bytes}. */
    String encoding();

    /** The id written into padding (masked out; any valid id works). */
    int padId();

    /** Saves what a reader of the version needs to encode the same way ({@code tokenizer.json}), if anything. */
    void saveTo(Path dir) throws IOException;

    @Override
    void close();

    /** The ids of {@code text}, cut to the last {@code maxLength}: the reward head reads the end. */
    default int[] encodeTail(String text, int maxLength) {
        int[] ids = encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the text encodes to no tokens");
        }
        return ids.length <= maxLength ? ids : java.util.Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }

    static TextEncoder of(Tokenizer tokenizer) {
        int pad = tokenizer.padId().orElse(tokenizer.eosId().orElse(0));
        return new TextEncoder() {
            @Override
            public int[] encode(String text) {
                return tokenizer.encode(text, true);
            }

            @Override
            public String encoding() {
                return "tokenizer.json";
            }

            @Override
            public int padId() {
                return pad;
            }

            @Override
            public void saveTo(Path dir) throws IOException {
                tokenizer.save(dir.resolve("tokenizer.json"));
            }

            @Override
            public void close() {
                tokenizer.close();
            }
        };
    }

    /** UTF-8 bytes as token ids; needs a vocabulary of at least 256. */
    static TextEncoder bytes(int vocabSize) {
        if (vocabSize < 256) {
            throw new IllegalArgumentException("the model has no tokenizer and a vocabulary of " + vocabSize
                    + " (< 256), so not even bytes can be encoded");
        }
        return new TextEncoder() {
            @Override
            public int[] encode(String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xff;
                return ids;
            }

            @Override
            public String encoding() {
                return "utf8-bytes";
            }

            @Override
            public int padId() {
                return 0;
            }

            @Override
            public void saveTo(Path dir) {
                // bytes need no files: metadata.json records the encoding
            }

            @Override
            public void close() {
            }
        };
    }
}
