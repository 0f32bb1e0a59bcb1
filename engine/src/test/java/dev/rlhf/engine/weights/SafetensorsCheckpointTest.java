package dev.rlhf.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.checkpoint.Safetensors;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face folders written by transformers' save_pretrained, in float16 (sharded) and bfloat16. */
class SafetensorsCheckpointTest {
    @Test
    void shardedFloat16FolderLoadsAsTheFloat32StateDict() throws IOException {
        Path dir = Golden.file("tiny-llama-f16");
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        ModelFiles files = ModelFiles.open(dir);
        assertEquals(ModelFiles.Format.HF_FOLDER, files.format());
        assertEquals("llama", files.modelType());
        // transformers 5 wrote only rope_parameters.rope_theta; the config carries rope_theta as well
        assertEquals(100000.0, files.config().get("rope_theta").asDouble());
        Golden.assertSameTensors(expected(), files.tensors());
    }

    @Test
    void bfloat16FolderLoadsAsTheFloat32StateDict() throws IOException {
        Golden.assertSameTensors(expected(), ModelFiles.open(Golden.file("tiny-llama-bf16")).tensors());
    }

    @Test
    void float32TensorsAreViewsOfTheFileNotCopies(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("w", TensorData.ofFloats(new long[] {2, 2}, 1, 2, 3, 4)), Map.of());
        TensorData t = SafetensorsFile.open(file).tensor("w");
        assertTrue(t.bytes().isDirect() && t.bytes().isReadOnly());
        assertEquals(4f, t.toFloats()[3]);
    }

    @Test
    void indexNamingAMissingShardFailsNamingTheTensor(@TempDir Path dir) throws IOException {
        Files.copy(Golden.file("tiny-llama-f16/config.json"), dir.resolve("config.json"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"model.norm.weight\": \"model-00009-of-00009.safetensors\"}}");
        WeightFileException e = assertThrows(WeightFileException.class, () -> ModelFiles.open(dir));
        assertTrue(e.getMessage().contains("model.norm.weight") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void folderWithoutWeightsSaysWhatItLooksFor(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        WeightFileException e = assertThrows(WeightFileException.class, () -> ModelFiles.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    private static Map<String, TensorData> expected() throws IOException {
        return Golden.expectedTensors("tiny-llama-expected.safetensors");
    }
}
