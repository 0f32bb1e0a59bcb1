package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.checkpoint.Checkpoint;
import dev.rlhf.engine.checkpoint.TrainingRng;
import dev.rlhf.engine.model.GptConfig;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(2).withDeterministic(true));

    /** Steps on batches chosen by the RNG, so a resume that lost the RNG state would see other data. */
    private static double[] train(TrainingSession s, TrainingRng rng, int steps) {
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) losses[i] = s.step(TinyLanguageModel.batch(rng.nextInt(5)));
        return losses;
    }

    @Test
    void resumingGivesTheSameLaterLossesAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        double[] uninterrupted;
        Path saved = dir.resolve("step-4");
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, TinyLanguageModel.parameters(7))) {
            TrainingRng rng = new TrainingRng(99);
            train(s, rng, 4);
            new Checkpoint(s.stepCount(), rng.state(), Checkpoint.configOf(TinyLanguageModel.CONFIG), s.state()).save(saved);
            uninterrupted = train(s, rng, 4);
        }

        Checkpoint loaded = Checkpoint.load(saved);
        assertEquals(4, loaded.step());
        assertEquals(TinyLanguageModel.CONFIG.dModel(), loaded.config().get("dModel").asInt());
        // a fresh initialisation with another seed: everything trainable must come from the checkpoint
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, TinyLanguageModel.parameters(8))) {
            s.restore(loaded.tensors(), loaded.step());
            double[] resumed = train(s, new TrainingRng(loaded.rngState()), 4);
            assertArrayEquals(uninterrupted, resumed, 0.0);
            assertEquals(8, s.stepCount());
        }
    }

    @Test
    void configRoundTripsThroughTheSidecar() {
        GptConfig c = TinyLanguageModel.CONFIG;
        var json = Checkpoint.configOf(c);
        assertEquals(c.vocabSize(), json.get("vocabSize").asInt());
        assertEquals("FLOAT", json.get("dtype").asText());
    }
}
