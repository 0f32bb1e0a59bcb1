package dev.rlhf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedWeightsTest {
    private static final Engine ENGINE = new Engine(RuntimeOptions.defaults().withThreads(1));

    private static GraphBuilder scaleGraph(String name, TensorData weight, double extra) {
        GraphBuilder g = new GraphBuilder(name);
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.symbolic("batch", 2));
        Value w = g.initializer("base.w", weight);
        g.output(o.add(o.matMul(x, w), o.scalar(DType.FLOAT, extra)), "y");
        return g;
    }

    @Test
    void twoSessionsUseOneCopyOfAFrozenWeight() throws Exception {
        float[] w = new float[2 * 128];
        for (int i = 0; i < w.length; i++) w[i] = i % 7 - 3;
        TensorData weight = TensorData.ofFloats(new long[] {2, 128}, w);
        try (OnnxTensor shared = Tensors.toOrt(ENGINE.environment(), weight)) {
            GraphBuilder a = scaleGraph("a", weight, 0), b = scaleGraph("b", weight, 10);
            // the serialised model carries no weight bytes
            int withBytes = ModelWriter.toProto(a, Map.of()).getSerializedSize();
            int without = ModelWriter.toProto(a, Map.of(), Set.of("base.w")).getSerializedSize();
            assertTrue(without < withBytes, without + " vs " + withBytes);
            try (CompiledGraph ca = ENGINE.compile(a, Map.of("base.w", shared));
                 CompiledGraph cb = ENGINE.compile(b, Map.of("base.w", shared))) {
                Map<String, TensorData> in = Map.of("x", TensorData.ofFloats(new long[] {3, 2}, 1, 0, 0, 1, 1, 1));
                float[] expected = new float[3 * 128], shifted = new float[3 * 128];
                for (int j = 0; j < 128; j++) {
                    expected[j] = w[j];                       // row (1, 0)
                    expected[128 + j] = w[128 + j];           // row (0, 1)
                    expected[256 + j] = w[j] + w[128 + j];    // row (1, 1)
                }
                for (int i = 0; i < expected.length; i++) shifted[i] = expected[i] + 10;
                assertArrayEquals(expected, ca.run(in).get("y").toFloats());
                assertArrayEquals(shifted, cb.run(in).get("y").toFloats());
            }
        }
    }
}
