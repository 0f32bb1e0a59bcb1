package dev.rlhf.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.onnx.Onnx;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlFlowTest {
    /**
     * x_{i+1} = x_i W + i, with W an initializer of the main graph read from the body; the body
     * also appends x_{i+1}'s sum to a growing history (a carried value whose shape changes every
     * iteration) and scans x_{i+1}; it stops once the sum exceeds the limit.
     */
    private static GraphBuilder iteratedMap() {
        GraphBuilder g = new GraphBuilder("loop");
        Ops o = new Ops(g);
        Value x0 = g.input("x0", DType.FLOAT, Shape.of(1, 2));
        Value trips = g.input("trips", DType.INT64, Shape.scalar());
        Value limit = g.input("limit", DType.FLOAT, Shape.scalar());
        Value w = g.initializer("w", TensorData.ofFloats(new long[] {2, 2}, 1f, 0.5f, -0.25f, 1f));
        Value history0 = o.reshape(o.sumAll(x0), 1);
        Loop loop = new Loop(o, "body");
        Ops b = loop.body();
        Value x = loop.carry(x0);
        Value history = loop.carry(history0, Shape.symbolic("steps"));
        Value next = b.add(b.matMul(x, w), b.cast(loop.iteration(), DType.FLOAT));
        Value sum = b.sumAll(next);
        Value grown = b.concat(0, history, b.reshape(sum, 1));
        List<Value> out = loop.end(trips, b.not(b.greater(sum, limit)), List.of(next, grown), List.of(next));
        g.output(out.get(0), "x");
        g.output(out.get(1), "history");
        g.output(out.get(2), "xs");
        return g;
    }

    private static double[][] reference(float[] x0, int trips, float limit) {
        double[] x = {x0[0], x0[1]};
        double[] history = new double[trips + 1];
        history[0] = x[0] + x[1];
        int steps = 0;
        for (int i = 0; i < trips; i++) {
            x = new double[] {x[0] * 1 + x[1] * -0.25 + i, x[0] * 0.5 + x[1] * 1 + i};
            history[++steps] = x[0] + x[1];
            if (x[0] + x[1] > limit) break;
        }
        return new double[][] {x, java.util.Arrays.copyOf(history, steps + 1)};
    }

    @Test
    void loopReadsOuterWeightsCarriesGrowingValuesAndStopsEarly() {
        GraphBuilder g = iteratedMap();
        try (CompiledGraph c = new Engine(RuntimeOptions.defaults()).compile(g)) {
            for (float limit : new float[] {1e9f, 6f}) {
                Map<String, TensorData> out = c.run(Map.of(
                        "x0", TensorData.ofFloats(new long[] {1, 2}, 1f, 2f),
                        "trips", TensorData.ofLongs(new long[0], 5),
                        "limit", TensorData.ofReals(DType.FLOAT, new long[0], limit)));
                double[][] expected = reference(new float[] {1f, 2f}, 5, limit);
                assertArrayEquals(expected[0], out.get("x").toDoubles(), 1e-5);
                assertArrayEquals(expected[1], out.get("history").toDoubles(), 1e-5);
                int steps = expected[1].length - 1;
                assertEquals(steps, out.get("xs").dims()[0]);
                assertTrue(limit > 1e8 ? steps == 5 : steps < 5, "stopped after " + steps);
            }
        }
    }

    @Test
    void bodyStoresNoWeightsAndOuterValuesItReadsAreKept() {
        Onnx.ModelProto m = ModelWriter.toProto(iteratedMap(), Map.of());
        Onnx.NodeProto loop = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Loop")).findFirst().orElseThrow();
        Onnx.GraphProto body = loop.getAttribute(0).getG();
        assertEquals(0, body.getInitializerCount());
        assertEquals(List.of("w"), m.getGraph().getInitializerList().stream().map(Onnx.TensorProto::getName).toList());
        assertTrue(body.getNodeList().stream().anyMatch(n -> n.getInputList().contains("w")));
        assertTrue(body.getNodeList().stream().anyMatch(n -> n.getInputList().contains("limit")));
    }

    @Test
    void ifRunsOnlyTheChosenBranchOverOuterValues() {
        GraphBuilder g = new GraphBuilder("if");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(3));
        Value flag = g.input("flag", DType.BOOL, Shape.scalar());
        Value shared = o.mul(x, 2.0);    // read only inside the branches: must survive pruning
        List<Value> out = Branches.ifElse(o, flag,
                t -> List.of(t.exp(shared)),
                e -> List.of(e.neg(shared)));
        g.output(out.get(0), "y");
        try (CompiledGraph c = new Engine(RuntimeOptions.defaults()).compile(g)) {
            TensorData in = TensorData.ofFloats(new long[] {3}, 0f, 1f, -1f);
            double[] yes = c.run(Map.of("x", in, "flag", TensorData.ofBools(new long[0], true))).get("y").toDoubles();
            double[] no = c.run(Map.of("x", in, "flag", TensorData.ofBools(new long[0], false))).get("y").toDoubles();
            assertArrayEquals(new double[] {1, Math.exp(2), Math.exp(-2)}, yes, 1e-5);
            assertArrayEquals(new double[] {0, -2, 2}, no, 1e-6);
        }
    }
}
