package dev.rlhf.engine.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.engine.autodiff.Autodiff;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** z0 computed in the graph from the policy must act as a constant: the same gradient as a fed z0. */
class KtoReferencePointTest {
    private static final double[] POLICY = {-12, -20, -7.5, -15};
    private static final double[] REFERENCE = {-13, -18, -9, -15.5};
    private static final double[] DESIRABLE = {1, 0, 1, 0};

    @Test
    void inGraphReferencePointIsDetached() {
        GraphBuilder g = new GraphBuilder("kto");
        Ops o = new Ops(g);
        Value policy = g.input("policy", DType.DOUBLE, Shape.of(4));
        Value reference = g.input("reference", DType.DOUBLE, Shape.of(4));
        Value desirable = g.input("desirable", DType.DOUBLE, Shape.of(4));
        Value fedZ0 = g.input("z0", DType.DOUBLE, Shape.scalar());
        KtoLoss kto = new KtoLoss(0.1, 1.0, 1.33);
        // z0 from the batch itself stands in for mismatched pairs: the policy feeds it, so a leak would change the gradient
        Value z0 = KtoLoss.referencePoint(o, policy, reference);
        Value inGraph = kto.loss(o, policy, reference, desirable, z0);
        Value fed = kto.loss(o, policy, reference, desirable, fedZ0);
        g.output(z0, "z0_value");
        g.output(new Autodiff().gradients(o, inGraph, List.of(policy)).get(policy), "grad_in_graph");
        g.output(new Autodiff().gradients(o, fed, List.of(policy)).get(policy), "grad_fed");
        double expectedZ0 = Math.max(0, (1 - 2 + 1.5 + 0.5) / 4.0);
        try (CompiledGraph c = new Engine(RuntimeOptions.float64Checks()).compile(g)) {
            Map<String, TensorData> out = c.run(Map.of(
                    "policy", TensorData.ofDoubles(new long[] {4}, POLICY),
                    "reference", TensorData.ofDoubles(new long[] {4}, REFERENCE),
                    "desirable", TensorData.ofDoubles(new long[] {4}, DESIRABLE),
                    "z0", TensorData.scalar(DType.DOUBLE, expectedZ0)));
            assertEquals(expectedZ0, out.get("z0_value").scalarValue(), 1e-12);
            assertArrayEquals(out.get("grad_fed").toDoubles(), out.get("grad_in_graph").toDoubles(), 1e-12);
        }
    }
}
