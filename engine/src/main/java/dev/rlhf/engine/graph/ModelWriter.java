package dev.rlhf.engine.graph;

import com.google.protobuf.ByteString;
import dev.rlhf.engine.onnx.Onnx.AttributeProto;
import dev.rlhf.engine.onnx.Onnx.GraphProto;
import dev.rlhf.engine.onnx.Onnx.ModelProto;
import dev.rlhf.engine.onnx.Onnx.NodeProto;
import dev.rlhf.engine.onnx.Onnx.OperatorSetIdProto;
import dev.rlhf.engine.onnx.Onnx.StringStringEntryProto;
import dev.rlhf.engine.onnx.Onnx.TensorProto;
import dev.rlhf.engine.onnx.Onnx.TensorShapeProto;
import dev.rlhf.engine.onnx.Onnx.TypeProto;
import dev.rlhf.engine.onnx.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serialises a {@link GraphBuilder} to an ONNX model, in memory or as a file with external data. */
public final class ModelWriter {
    /** Opset 18: every Reduce* takes its axes as an input, and Split takes sizes as an input. */
    public static final int OPSET = 18;
    /** IR version 8 is the one that introduced opset 18. */
    public static final long IR_VERSION = 8;
    /** Protobuf messages cannot exceed 2 GiB, so weights above this size go to a side file. */
    public static final long DEFAULT_EXTERNAL_THRESHOLD = 1 << 20;

    private ModelWriter() {
    }

    /** The whole model with initializers inline: for graphs well under protobuf's 2 GiB limit. */
    public static ModelProto toProto(GraphBuilder graph, Map<String, String> metadata) {
        return toProto(graph, metadata, java.util.Set.of());
    }

    /**
     * As {@link #toProto(GraphBuilder, Map)}, but the initializers named in {@code supplied} carry no
     * bytes: they are declared as external data that the session receives from the caller
     * (ONNX Runtime's external initializers), so a frozen base model is never serialised per session.
     */
    public static ModelProto toProto(GraphBuilder graph, Map<String, String> metadata, java.util.Set<String> supplied) {
        GraphProto.Builder gp = graphProto(graph);
        graph.initializers().forEach((name, t) ->
                gp.addInitializer(supplied.contains(name) ? externalTensor(name, t, SUPPLIED_LOCATION, 0) : tensor(name, t)));
        return model(graph, metadata, gp);
    }

    /** The external-data location of initializers that the caller supplies at session creation. */
    public static final String SUPPLIED_LOCATION = "supplied-by-session";

    /**
     * Writes {@code dir/fileName} and, for initializers of at least {@code threshold} bytes,
     * {@code dir/fileName.data} referenced by offset and length (ONNX external data, relative path).
     */
    public static Path write(GraphBuilder graph, Map<String, String> metadata, Path dir, String fileName, long threshold)
            throws IOException {
        Files.createDirectories(dir);
        String dataName = fileName + ".data";
        GraphProto.Builder gp = graphProto(graph);
        long offset = 0;
        try (OutputStream data = Files.newOutputStream(dir.resolve(dataName));
             WritableByteChannel channel = Channels.newChannel(data)) {
            for (Map.Entry<String, TensorData> e : graph.initializers().entrySet()) {
                TensorData t = e.getValue();
                if (t.byteSize() < threshold) {
                    gp.addInitializer(tensor(e.getKey(), t));
                    continue;
                }
                channel.write(t.bytes());
                gp.addInitializer(externalTensor(e.getKey(), t, dataName, offset));
                offset += t.byteSize();
            }
        }
        Path model = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(model)) {
            model(graph, metadata, gp).writeTo(out);
        }
        return model;
    }

    private static ModelProto model(GraphBuilder graph, Map<String, String> metadata, GraphProto.Builder gp) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("rlhf-engine")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(gp);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    static GraphProto.Builder graphProto(GraphBuilder graph) {
        GraphProto.Builder gp = GraphProto.newBuilder().setName(graph.name());
        graph.inputs().forEach(v -> gp.addInput(valueInfo(v)));
        graph.outputs().forEach(v -> gp.addOutput(valueInfo(v)));
        for (Node n : liveNodes(graph)) {
            NodeProto.Builder np = NodeProto.newBuilder().setOpType(n.opType())
                    .addAllInput(n.inputs()).addAllOutput(n.outputs()).setName(n.outputs().get(0));
            n.attributes().forEach((k, v) -> np.addAttribute(attribute(k, v)));
            gp.addNode(np);
        }
        return gp;
    }

    /**
     * The nodes some graph output depends on, in order. Autodiff can leave nodes behind (a
     * gradient it rewrote, a branch of a parameter that was frozen); they are not exported.
     */
    static java.util.List<Node> liveNodes(GraphBuilder graph) {
        java.util.Set<String> live = new java.util.HashSet<>();
        graph.outputs().forEach(v -> live.add(v.name()));
        java.util.List<Node> nodes = graph.nodes();
        boolean[] keep = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                keep[i] = true;
                live.addAll(n.inputs());
                // a Loop or If body reads outer values by name, not through the node's inputs
                n.attributes().values().stream().filter(a -> a instanceof GraphBuilder)
                        .forEach(a -> live.addAll(((GraphBuilder) a).outerReads()));
            }
        }
        java.util.List<Node> out = new java.util.ArrayList<>();
        for (int i = 0; i < keep.length; i++) if (keep[i]) out.add(nodes.get(i));
        return out;
    }

    static ValueInfoProto valueInfo(Value v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : v.shape().dims()) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d.isStatic()) db.setDimValue(d.size());
            else db.setDimParam(d.symbol());
            shape.addDim(db);
        }
        TypeProto.Tensor tt = TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    static TensorProto tensor(String name, TensorData t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode());
        for (long d : t.dims()) b.addDims(d);
        return b.setRawData(ByteString.copyFrom(t.bytes())).build();
    }

    private static TensorProto externalTensor(String name, TensorData t, String location, long offset) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode())
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        for (long d : t.dims()) b.addDims(d);
        b.addExternalData(entry("location", location));
        b.addExternalData(entry("offset", Long.toString(offset)));
        b.addExternalData(entry("length", Long.toString(t.byteSize())));
        return b.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (value instanceof Double d) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
        } else if (value instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ints) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long i : ints) a.addInts(i);
        } else if (value instanceof double[] floats) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (double f : floats) a.addFloats((float) f);
        } else if (value instanceof TensorData t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(tensor("", t));
        } else if (value instanceof GraphBuilder body) {
            if (!body.initializers().isEmpty()) {
                throw new IllegalStateException("subgraph " + body.name() + " holds initializers; they belong to the main graph");
            }
            a.setType(AttributeProto.AttributeType.GRAPH).setG(graphProto(body));
        } else {
            throw new IllegalArgumentException("attribute " + name + " has unsupported type " + value.getClass());
        }
        return a.build();
    }
}
