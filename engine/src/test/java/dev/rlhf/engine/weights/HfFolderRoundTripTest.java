package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlhf.engine.tokenizer.ChatMessage;
import dev.rlhf.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GGUF model saved as a Hugging Face folder reads back as the same model. */
class HfFolderRoundTripTest {
    @Test
    void ggufSavedAsHfFolderReadsBackIdentically(@TempDir Path tmp) throws IOException {
        ModelFiles gguf = ModelFiles.open(Golden.file("tiny-llama.gguf"));
        Path out = tmp.resolve("tiny");
        gguf.saveAsHfFolder(out);
        ModelFiles folder = ModelFiles.open(out);
        Golden.assertSameTensors(gguf.tensors(), folder.tensors());
        assertEquals(gguf.config().toString(), folder.config().toString());
        assertEquals(gguf.specialTokens(), folder.specialTokens());
        assertEquals(gguf.chatTemplate(), folder.chatTemplate());
        List<ChatMessage> chat = List.of(ChatMessage.user("Hello world"));
        assertEquals(gguf.chat().orElseThrow().apply(chat, true), folder.chat().orElseThrow().apply(chat, true));
        try (Tokenizer a = gguf.tokenizer(); Tokenizer b = folder.tokenizer()) {
            String text = "What is the capital of France? <|im_end|>";
            assertArrayEquals(a.encode(text, true), b.encode(text, true));
            assertEquals(a.eosId(), b.eosId());
        }
        assertThrows(WeightFileException.class, () -> gguf.saveAsHfFolder(out), "an existing folder is not overwritten");
    }

    @Test
    void shardedFloat16FolderSavedAgainReadsBackAsFloat32(@TempDir Path tmp) throws IOException {
        ModelFiles f16 = ModelFiles.open(Golden.file("tiny-llama-f16"));
        f16.saveAsHfFolder(tmp.resolve("f32"));
        ModelFiles f32 = ModelFiles.open(tmp.resolve("f32"));
        Golden.assertSameTensors(f16.tensors(), f32.tensors());
        assertEquals(f16.chatTemplate(), f32.chatTemplate());
        assertEquals(f16.specialTokens(), f32.specialTokens());
    }
}
