package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.NonFiniteValueException;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSessionTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(2).withDeterministic(true));

    private static double[] losses(TrainingSession s, int steps) {
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) out[i] = s.step(TinyLanguageModel.batch(i % 2));
        return out;
    }

    @Test
    void lossFallsAndEveryParameterMoves() {
        Parameters params = TinyLanguageModel.parameters(1);
        Map<String, TensorData> before = new HashMap<>(params.asMap());
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, params)) {
            double[] l = losses(s, 30);
            assertTrue(l[29] < 0.5 * l[0], "loss went from " + l[0] + " to " + l[29]);
            s.syncParameters();
        }
        for (String name : params.names()) {
            assertFalse(java.util.Arrays.equals(before.get(name).toDoubles(), params.get(name).toDoubles()),
                    name + " did not move");
        }
    }

    @Test
    void sameSeedAndThreadsGiveBitwiseIdenticalLosses() {
        double[] first, second;
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, TinyLanguageModel.parameters(2))) {
            first = losses(s, 8);
        }
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, TinyLanguageModel.parameters(2))) {
            second = losses(s, 8);
        }
        assertArrayEquals(first, second, 0.0);
    }

    @Test
    void frozenParametersAreInitializersAndDoNotMove() {
        Parameters params = TinyLanguageModel.parameters(3).freeze(n -> !n.startsWith("h.1."));
        Map<String, TensorData> before = new HashMap<>(params.asMap());
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, params)) {
            double[] l = losses(s, 10);
            assertTrue(l[9] < l[0], "top block alone should still lower the loss");
            assertEquals(params.trainableNames().stream().filter(n -> n.startsWith("h.1.")).count(),
                    params.trainableNames().size());
            s.syncParameters();
        }
        for (String name : params.names()) {
            boolean moved = !java.util.Arrays.equals(before.get(name).toDoubles(), params.get(name).toDoubles());
            assertEquals(!params.isFrozen(name), moved, name);
        }
    }

    @Test
    void nonFiniteLossStopsTheRunNamingStepAndTensor() {
        try (TrainingSession s = TinyLanguageModel.session(ENGINE, TinyLanguageModel.parameters(4))) {
            s.step(TinyLanguageModel.batch(0));
            Map<String, TensorData> state = s.state();
            Map<String, TensorData> poisoned = new HashMap<>(TinyLanguageModel.batch(1));
            float[] mask = poisoned.get("mask").toFloats();
            mask[3] = Float.NaN;
            poisoned.put("mask", TensorData.ofFloats(poisoned.get("mask").dims(), mask));
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> s.step(poisoned));
            assertEquals(2, e.step());
            assertEquals("loss", e.tensor());
            assertTrue(e.getMessage().contains("step 2"), e.getMessage());
            // the failed step kept nothing: the state is the one after step 1
            assertEquals(1, s.stepCount());
            assertArrayEquals(state.get("wte.weight").toDoubles(), s.state().get("wte.weight").toDoubles(), 0.0);
        }
    }
}
