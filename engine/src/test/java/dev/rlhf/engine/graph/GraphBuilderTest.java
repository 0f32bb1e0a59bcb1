package dev.rlhf.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.engine.onnx.Onnx;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
    @Test
    void shapesAreInferredThroughBroadcastMatMulAndReshape() {
        GraphBuilder g = new GraphBuilder("shapes");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.symbolic("batch", 7, 16));
        Value w = g.initializer("w", TensorData.zeros(DType.FLOAT, 16, 32));
        Value y = o.matMul(x, w);
        assertEquals(Shape.symbolic("batch", 7, 32), y.shape());
        Value heads = o.transpose(o.reshape(y, 0, 0, 4, 8), 0, 2, 1, 3);
        assertEquals(Shape.symbolic("batch", 4, 7, 8), heads.shape());
        assertEquals(Shape.of(3, 1, 5), Shape.broadcast(Shape.of(3, 1, 1), Shape.of(1, 5)));
        assertThrows(IllegalArgumentException.class, () -> o.add(x, g.input("z", DType.FLOAT, Shape.of(3))));
        assertThrows(IllegalArgumentException.class, () -> o.add(x, g.input("d", DType.DOUBLE, Shape.of(16))));
    }

    @Test
    void exportedModelCarriesOpsetShapesAndMetadata() {
        GraphBuilder g = new GraphBuilder("meta");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.symbolic("batch", 2));
        g.output(o.exp(x), "y");
        Onnx.ModelProto m = ModelWriter.toProto(g, Map.of("lineage", "judgments 0-99"));
        assertEquals(ModelWriter.OPSET, m.getOpsetImport(0).getVersion());
        assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(2, m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals("judgments 0-99", m.getMetadataProps(0).getValue());
    }

    @Test
    void outputByRenamingAvoidsACopyAndStillComputesTheSame() {
        GraphBuilder g = new GraphBuilder("rename");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(3));
        Value doubled = o.mul(x, 2.0);
        Value plusOne = o.add(doubled, 1.0);
        g.outputByRenaming(doubled, "doubled");      // also read by a later node
        g.outputByRenaming(plusOne, "plus_one");
        assertTrue(g.nodes().stream().noneMatch(n -> n.opType().equals("Identity")));
        try (CompiledGraph c = new Engine(RuntimeOptions.defaults().withThreads(1)).compile(g)) {
            Map<String, TensorData> out = c.run(Map.of("x", TensorData.ofFloats(new long[] {3}, 1, 2, 3)));
            assertArrayEquals(new float[] {2, 4, 6}, out.get("doubled").toFloats());
            assertArrayEquals(new float[] {3, 5, 7}, out.get("plus_one").toFloats());
        }
    }

    @Test
    void anInputMadeAnOutputIsCopiedNotRenamed() {
        GraphBuilder g = new GraphBuilder("copy");
        Value x = g.input("x", DType.FLOAT, Shape.of(1));
        g.outputByRenaming(x, "same");
        assertEquals(List.of("Identity"), g.nodes().stream().map(Node::opType).toList());
    }

    @Test
    void nodesNoOutputDependsOnAreNotExported() {
        GraphBuilder g = new GraphBuilder("dead");
        Ops o = new Ops(g);
        Value x = g.input("x", DType.FLOAT, Shape.of(2));
        o.exp(x);                                  // computed, never used
        g.output(o.neg(x), "y");
        Onnx.ModelProto m = ModelWriter.toProto(g, Map.of());
        assertEquals(List.of("Neg", "Identity"), m.getGraph().getNodeList().stream().map(Onnx.NodeProto::getOpType).toList());
    }
}
