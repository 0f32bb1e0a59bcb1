package dev.rlhf.engine.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor held on the Java side: type, static dimensions and little-endian bytes (ONNX's
 * {@code raw_data} layout). Used for initializers, constants, feeds and fetched results.
 */
public final class TensorData {
    private final DType dtype;
    private final long[] dims;
    private final ByteBuffer bytes;

    public TensorData(DType dtype, long[] dims, ByteBuffer bytes) {
        this.dtype = dtype;
        this.dims = dims.clone();
        long expected = elementCount(dims) * dtype.byteSize();
        if (bytes.remaining() != expected) {
            throw new IllegalArgumentException("tensor " + Arrays.toString(dims) + " of " + dtype
                    + " needs " + expected + " bytes, got " + bytes.remaining());
        }
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static TensorData ofDoubles(long[] dims, double... values) {
        ByteBuffer b = allocate(values.length * 8L);
        b.asDoubleBuffer().put(values);
        return new TensorData(DType.DOUBLE, dims, b);
    }

    public static TensorData ofFloats(long[] dims, float... values) {
        ByteBuffer b = allocate(values.length * 4L);
        b.asFloatBuffer().put(values);
        return new TensorData(DType.FLOAT, dims, b);
    }

    public static TensorData ofLongs(long[] dims, long... values) {
        ByteBuffer b = allocate(values.length * 8L);
        b.asLongBuffer().put(values);
        return new TensorData(DType.INT64, dims, b);
    }

    public static TensorData ofBools(long[] dims, boolean... values) {
        ByteBuffer b = allocate(values.length);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        b.flip();
        return new TensorData(DType.BOOL, dims, b);
    }

    /** A floating tensor of the given type from double values (rounded when the type is float). */
    public static TensorData ofReals(DType dtype, long[] dims, double... values) {
        return switch (dtype) {
            case DOUBLE -> ofDoubles(dims, values);
            case FLOAT -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
                yield ofFloats(dims, f);
            }
            default -> throw new IllegalArgumentException("not a real type: " + dtype);
        };
    }

    public static TensorData scalar(DType dtype, double value) {
        return dtype == DType.INT64 ? ofLongs(new long[0], (long) value) : ofReals(dtype, new long[0], value);
    }

    public static TensorData zeros(DType dtype, long... dims) {
        return new TensorData(dtype, dims, allocate(elementCount(dims) * dtype.byteSize()));
    }

    private static ByteBuffer allocate(long size) {
        return ByteBuffer.allocateDirect(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        return elementCount(dims);
    }

    /** A read-only view of the bytes, positioned at the start. */
    public ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int byteSize() {
        return bytes.remaining();
    }

    /** The values as doubles, whatever the element type. */
    public double[] toDoubles() {
        int n = Math.toIntExact(elementCount());
        double[] out = new double[n];
        ByteBuffer b = bytes();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case DOUBLE -> b.getDouble(i * 8);
                case FLOAT -> b.getFloat(i * 4);
                case INT64 -> b.getLong(i * 8);
                case INT32 -> b.getInt(i * 4);
                case BOOL -> b.get(i);
                case FLOAT16 -> throw new UnsupportedOperationException("float16 values are not decoded on the Java side");
            };
        }
        return out;
    }

    public float[] toFloats() {
        double[] d = toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    public long[] toLongs() {
        double[] d = toDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (long) d[i];
        return out;
    }

    public double scalarValue() {
        return toDoubles()[0];
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(dims);
    }
}
