package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file read through memory maps: the header is parsed on open, each tensor is
 * mapped on demand. F32 tensors are handed out as views of the map (no copy); F16, BF16 and F64
 * are converted to float32 into one direct buffer; I64, I32 and BOOL pass through unchanged.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where one tensor's bytes are in the file. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private final Path file;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new WeightFileException(file + " is not a safetensors file (" + size + " bytes)");
            ByteBuffer len = ch.map(FileChannel.MapMode.READ_ONLY, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerSize = len.getLong(0);
            if (headerSize <= 0 || headerSize > 100_000_000 || 8 + headerSize > size) {
                throw new WeightFileException(file + " is not a safetensors file (header size " + headerSize + ")");
            }
            ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 8, headerSize);
            byte[] json = new byte[(int) headerSize];
            head.get(json);
            JsonNode header = JSON.readTree(new String(json, StandardCharsets.UTF_8).trim());
            long dataSize = size - 8 - headerSize;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataSize));
            }
            return new SafetensorsFile(file, 8 + headerSize, entries, metadata);
        }
    }

    private static Entry entry(Path file, String name, JsonNode n, long dataSize) throws WeightFileException {
        JsonNode shape = n.get("shape"), offsets = n.get("data_offsets"), dtype = n.get("dtype");
        if (shape == null || offsets == null || dtype == null || offsets.size() != 2) {
            throw new WeightFileException(file + ": tensor " + name + " lacks dtype, shape or data_offsets");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asLong();
        long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
        long expected = TensorData.elementCount(dims) * elementSize(file, name, dtype.asText());
        if (begin < 0 || end > dataSize || end - begin != expected) {
            throw new WeightFileException(file + ": tensor " + name + " " + dtype.asText() + Arrays.toString(dims)
                    + " has data_offsets [" + begin + ", " + end + "] but needs " + expected
                    + " bytes within " + dataSize);
        }
        return new Entry(name, dtype.asText(), dims, begin, end);
    }

    private static int elementSize(Path file, String name, String dtype) throws WeightFileException {
        return switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "BOOL", "U8", "I8" -> 1;
            default -> throw new WeightFileException(file + ": tensor " + name + " has unsupported dtype " + dtype);
        };
    }

    public Path path() {
        return file;
    }

    /** Tensor entries in header order. */
    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** The tensor as float32 (floating types) or its own integer type, read through a memory map. */
    public TensorData tensor(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) throw new WeightFileException(file + " has no tensor " + name);
        if (TensorData.elementCount(e.shape()) * 4 > Integer.MAX_VALUE) {
            throw new WeightFileException(file + ": tensor " + name + " " + Arrays.toString(e.shape())
                    + " is larger than one float32 buffer holds (2 GiB)");
        }
        ByteBuffer raw = map(e);
        return switch (e.dtype()) {
            case "F32" -> new TensorData(DType.FLOAT, e.shape(), raw);
            case "F16", "BF16" -> new TensorData(DType.FLOAT, e.shape(), halfToFloat(raw, e.dtype().equals("BF16")));
            case "F64" -> new TensorData(DType.FLOAT, e.shape(), doubleToFloat(raw));
            case "I64" -> new TensorData(DType.INT64, e.shape(), raw);
            case "I32" -> new TensorData(DType.INT32, e.shape(), raw);
            case "BOOL" -> new TensorData(DType.BOOL, e.shape(), raw);
            default -> throw new WeightFileException(file + ": tensor " + name + " has dtype " + e.dtype()
                    + ", which the engine cannot load");
        };
    }

    private ByteBuffer map(Entry e) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static ByteBuffer halfToFloat(ByteBuffer raw, boolean bfloat) {
        int n = raw.remaining() / 2;
        ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int bits = raw.getShort(i * 2) & 0xFFFF;
            out.putFloat(i * 4, bfloat ? HalfFloats.bfloat16ToFloat(bits) : HalfFloats.halfToFloat(bits));
        }
        return out;
    }

    private static ByteBuffer doubleToFloat(ByteBuffer raw) {
        int n = raw.remaining() / 8;
        ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) out.putFloat(i * 4, (float) raw.getDouble(i * 8));
        return out;
    }
}
