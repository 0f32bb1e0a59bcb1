package dev.rlhf.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping names to dtype, shape and byte offsets (plus a string-to-string {@code __metadata__}),
 * then the raw little-endian tensor bytes.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    public record Contents(Map<String, TensorData> tensors, Map<String, String> metadata) {
    }

    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject(METADATA);
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", code(t.dtype()));
            var shape = entry.putArray("shape");
            for (long d : t.dims()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;   // keeps the data 8-byte aligned, as the reference writer does
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head);
            for (TensorData t : tensors.values()) writeFully(ch, t.bytes());
            ch.force(true);
        }
    }

    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerSize = len.flip().getLong();
            if (headerSize <= 0 || headerSize > 100_000_000) {
                throw new IOException(file + " is not a safetensors file (header size " + headerSize + ")");
            }
            ByteBuffer head = ByteBuffer.allocate((int) headerSize);
            readFully(ch, head, 8);
            JsonNode header = JSON.readTree(new String(head.array(), StandardCharsets.UTF_8).trim());
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals(METADATA)) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode n = e.getValue();
                long[] dims = new long[n.get("shape").size()];
                for (int i = 0; i < dims.length; i++) dims[i] = n.get("shape").get(i).asLong();
                long begin = n.get("data_offsets").get(0).asLong(), end = n.get("data_offsets").get(1).asLong();
                ByteBuffer data = ByteBuffer.allocateDirect(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, 8 + headerSize + begin);
                tensors.put(e.getKey(), new TensorData(dtype(n.get("dtype").asText()), dims, data.flip()));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) throw new IOException("safetensors file ends early");
            pos += n;
        }
    }

    static String code(DType t) {
        return switch (t) {
            case FLOAT -> "F32";
            case DOUBLE -> "F64";
            case FLOAT16 -> "F16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case BOOL -> "BOOL";
        };
    }

    static DType dtype(String code) {
        return switch (code) {
            case "F32" -> DType.FLOAT;
            case "F64" -> DType.DOUBLE;
            case "F16" -> DType.FLOAT16;
            case "I64" -> DType.INT64;
            case "I32" -> DType.INT32;
            case "BOOL" -> DType.BOOL;
            default -> throw new IllegalArgumentException("unsupported safetensors dtype " + code);
        };
    }
}
