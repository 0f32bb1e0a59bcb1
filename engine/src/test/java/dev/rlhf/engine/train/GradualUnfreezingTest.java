package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradualUnfreezingTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(2).withDeterministic(true));

    @Test
    void stagesUnfreezeFromTheTopAndCarryOptimizerState() {
        assertTrue(GradualUnfreezing.frozenAt(0, 2).test("h.0.attn.c_attn.weight"));
        assertFalse(GradualUnfreezing.frozenAt(0, 2).test("h.1.attn.c_attn.weight"));
        assertTrue(GradualUnfreezing.frozenAt(1, 2).test("wte.weight"));
        assertFalse(GradualUnfreezing.frozenAt(2, 2).test("wte.weight"));

        Parameters params = TinyLanguageModel.parameters(21).freeze(GradualUnfreezing.frozenAt(0, 2));
        Map<String, TensorData> afterStage0;
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, params)) {
            for (int i = 0; i < 5; i++) s.step(TinyLanguageModel.batch(i % 2));
            s.syncParameters();
            afterStage0 = s.state();
        }
        TensorData bottomBefore = params.get("h.0.mlp.c_fc.weight");
        params.unfreeze(n -> true).freeze(GradualUnfreezing.frozenAt(1, 2));
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, params)) {
            s.adopt(afterStage0, 5);
            Map<String, TensorData> adopted = s.state();
            assertArrayEquals(afterStage0.get("h.1.mlp.c_fc.weight.m").toDoubles(),
                    adopted.get("h.1.mlp.c_fc.weight.m").toDoubles(), 0.0);
            assertTrue(Arrays.stream(adopted.get("h.0.mlp.c_fc.weight.m").toDoubles()).allMatch(v -> v == 0));
            s.step(TinyLanguageModel.batch(0));
            assertEquals(6, s.stepCount());
            s.syncParameters();
        }
        assertFalse(Arrays.equals(bottomBefore.toDoubles(), params.get("h.0.mlp.c_fc.weight").toDoubles()),
                "the newly unfrozen block must train");
    }
}
