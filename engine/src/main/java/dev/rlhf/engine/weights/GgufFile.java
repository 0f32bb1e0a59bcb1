package dev.rlhf.engine.weights;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (llama.cpp's format, versions 2 and 3): header, metadata key/values, tensor infos,
 * then tensor data aligned to {@code general.alignment} (default 32). The header is parsed on
 * open; tensor data is memory-mapped and dequantised to float32 on demand.
 *
 * <p>Metadata values are Java objects: integers of every width as {@link Long} (UINT64 read as
 * unsigned bits), FLOAT32 as {@link Float}, FLOAT64 as {@link Double}, BOOL as {@link Boolean},
 * STRING as {@link String}, ARRAY as {@link List} of those.
 */
public final class GgufFile {
    private static final int MAGIC = 0x46554747;   // "GGUF" little-endian
    private static final long DEFAULT_ALIGNMENT = 32;

    /**
     * One tensor: name, ggml dimensions (ggml order, fastest-varying first), type (null when the id
     * is unknown), and offset from the start of the data section.
     */
    public record TensorInfo(String name, long[] ggmlDims, GgmlType type, int typeId, long offset) {
        public long elementCount() {
            return TensorData.elementCount(ggmlDims);
        }

        /** Row-major shape (slowest-varying first), as PyTorch and Hugging Face write it. */
        public long[] shape() {
            long[] s = new long[ggmlDims.length];
            for (int i = 0; i < s.length; i++) s[i] = ggmlDims[s.length - 1 - i];
            return s;
        }

        public String typeName() {
            return type != null ? type.name() : "unknown type id " + typeId;
        }
    }

    private final Path file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long alignment;
    private final long dataStart;
    private final long fileSize;

    private GgufFile(Path file, int version, Map<String, Object> metadata, Map<String, TensorInfo> tensors,
                     long alignment, long dataStart, long fileSize) {
        this.file = file;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
    }

    public static GgufFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            // The header (vocabulary included) sits at the start; one map of up to 2 GiB covers it.
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(size, Integer.MAX_VALUE))
                    .order(ByteOrder.LITTLE_ENDIAN);
            try {
                return parse(file, b, size);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new WeightFileException(file + ": GGUF header is truncated or corrupt (" + e + ")", e);
            }
        }
    }

    private static GgufFile parse(Path file, ByteBuffer b, long size) throws WeightFileException {
        if (size < 24 || b.getInt() != MAGIC) throw new WeightFileException(file + " is not a GGUF file (no GGUF magic)");
        int version = b.getInt();
        if (version != 2 && version != 3) {
            throw new WeightFileException(file + ": GGUF version " + version + " is not supported (2 and 3 are)");
        }
        long tensorCount = b.getLong(), kvCount = b.getLong();
        if (tensorCount < 0 || kvCount < 0 || tensorCount > 1_000_000 || kvCount > 1_000_000) {
            throw new WeightFileException(file + ": implausible GGUF counts (" + tensorCount + " tensors, " + kvCount + " keys)");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string(b);
            int type = b.getInt();
            metadata.put(key, value(file, key, b, type));
        }
        long alignment = DEFAULT_ALIGNMENT;
        if (metadata.get("general.alignment") instanceof Long a) {
            if (a <= 0 || (a & (a - 1)) != 0) throw new WeightFileException(file + ": general.alignment " + a + " is not a power of two");
            alignment = a;
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string(b);
            int nDims = b.getInt();
            if (nDims < 0 || nDims > 8) throw new WeightFileException(file + ": tensor " + name + " has " + nDims + " dimensions");
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = b.getLong();
                if (dims[d] < 0) throw new WeightFileException(file + ": tensor " + name + " has a negative dimension");
            }
            int typeId = b.getInt();
            long offset = b.getLong();
            TensorInfo info = new TensorInfo(name, dims, GgmlType.byId(typeId), typeId, offset);
            if (offset % alignment != 0) {
                throw new WeightFileException(file + ": tensor " + name + " offset " + offset + " is not aligned to " + alignment);
            }
            if (tensors.put(name, info) != null) throw new WeightFileException(file + ": tensor " + name + " appears twice");
        }
        long dataStart = (b.position() + alignment - 1) / alignment * alignment;
        GgufFile g = new GgufFile(file, version, metadata, tensors, alignment, dataStart, size);
        for (TensorInfo t : tensors.values()) g.checkExtent(t);
        return g;
    }

    private void checkExtent(TensorInfo t) throws WeightFileException {
        if (t.type() == null) return;   // unknown layout: reported when the tensor is read
        if (t.elementCount() % t.type().blockSize() != 0) {
            throw new WeightFileException(file + ": tensor " + t.name() + " of " + t.typeName() + " has "
                    + t.elementCount() + " elements, not a whole number of " + t.type().blockSize() + "-element blocks");
        }
        long end = dataStart + t.offset() + t.type().byteSize(t.elementCount());
        if (end > fileSize) {
            throw new WeightFileException(file + ": tensor " + t.name() + " ends at byte " + end
                    + " beyond the end of the file (" + fileSize + ")");
        }
    }

    private static String string(ByteBuffer b) {
        long len = b.getLong();
        if (len < 0 || len > b.remaining()) throw new IllegalArgumentException("string length " + len);
        byte[] s = new byte[(int) len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Object value(Path file, String key, ByteBuffer b, int type) throws WeightFileException {
        return switch (type) {
            case 0 -> (long) (b.get() & 0xFF);
            case 1 -> (long) b.get();
            case 2 -> (long) (b.getShort() & 0xFFFF);
            case 3 -> (long) b.getShort();
            case 4 -> b.getInt() & 0xFFFF_FFFFL;
            case 5 -> (long) b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> {
                int elementType = b.getInt();
                long n = b.getLong();
                if (n < 0 || n > b.remaining()) throw new WeightFileException(file + ": metadata " + key + " array length " + n);
                List<Object> list = new ArrayList<>((int) n);
                for (long i = 0; i < n; i++) list.add(value(file, key, b, elementType));
                yield Collections.unmodifiableList(list);
            }
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new WeightFileException(file + ": metadata " + key + " has unknown value type " + type);
        };
    }

    public Path path() {
        return file;
    }

    public int version() {
        return version;
    }

    public long alignment() {
        return alignment;
    }

    /** Every metadata key/value, in file order. */
    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public Optional<Object> value(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    public Optional<String> string(String key) {
        return value(key).map(v -> v instanceof String s ? s : null);
    }

    public Optional<Long> integer(String key) {
        return value(key).map(v -> v instanceof Long l ? l : null);
    }

    /** A FLOAT32 or FLOAT64 value (an integer value is accepted too). */
    public Optional<Double> real(String key) {
        return value(key).map(v -> v instanceof Number n ? n.doubleValue() : null);
    }

    public Optional<Boolean> bool(String key) {
        return value(key).map(v -> v instanceof Boolean x ? x : null);
    }

    /** Tensor infos by GGUF name, in file order. */
    public Map<String, TensorInfo> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public TensorInfo tensorInfo(String name) throws WeightFileException {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new WeightFileException(file + " has no tensor " + name);
        return t;
    }

    /** The tensor's raw bytes, memory-mapped. */
    public ByteBuffer rawBytes(TensorInfo t) throws IOException {
        if (t.type() == null) {
            throw new WeightFileException(file + ": tensor " + t.name() + " has " + t.typeName() + ", which the engine cannot read");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + t.offset(), t.type().byteSize(t.elementCount()))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** The tensor dequantised to float32, in row-major (Hugging Face) shape. */
    public TensorData dequantize(String name) throws IOException {
        TensorInfo t = tensorInfo(name);
        if (t.type() == null || !GgmlDequantizer.supports(t.type())) {
            throw new WeightFileException(file + ": tensor " + name + " has quantisation type " + t.typeName()
                    + ", which the engine cannot dequantise (supported: " + GgmlDequantizer.supported() + ")");
        }
        if (t.elementCount() * 4 > Integer.MAX_VALUE) {
            throw new WeightFileException(file + ": tensor " + name + " has " + t.elementCount()
                    + " elements, more than one float32 buffer holds (2 GiB)");
        }
        ByteBuffer floats = GgmlDequantizer.dequantize(t.type(), rawBytes(t), t.elementCount());
        return new TensorData(DType.FLOAT, t.shape(), floats);
    }

    @Override
    public String toString() {
        return "GGUF v" + version + " " + file + " (" + tensors.size() + " tensors, " + metadata.size() + " keys, types "
                + Arrays.toString(tensors.values().stream().map(TensorInfo::typeName).distinct().toArray()) + ")";
    }
}
