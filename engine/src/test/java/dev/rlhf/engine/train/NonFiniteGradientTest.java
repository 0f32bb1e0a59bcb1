package dev.rlhf.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.NonFiniteValueException;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NonFiniteGradientTest {
    @Test
    void aFiniteLossWithAnInfiniteGradientNamesTheParameterItWouldHaveBroken() {
        Parameters params = new Parameters();
        params.add("scale", TensorData.ofFloats(new long[] {2}, 0f, 1f));
        GraphBuilder g = new GraphBuilder("sqrt_at_zero");
        Ops o = new Ops(g);
        // sqrt is finite at 0 but its derivative is not: the loss stays finite while the update breaks
        TrainingGraph.append(o, o.sumAll(o.sqrt(params.bind(g, "scale"))), params, AdamW.defaults(),
                n -> ParamGroup.of(0), 0);
        try (TrainingSession s = new TrainingSession(new Engine(RuntimeOptions.defaults().withThreads(1)), g, params,
                AdamW.defaults().stateNames(), LearningRateSchedule.constant(0.1))) {
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> s.step(Map.of()));
            assertEquals(1, e.step());
            assertEquals("next.scale", e.tensor());
            assertEquals(0, s.stepCount());
            assertArrayEquals(new float[] {0f, 1f}, s.state().get("scale").toFloats());
        }
    }
}
