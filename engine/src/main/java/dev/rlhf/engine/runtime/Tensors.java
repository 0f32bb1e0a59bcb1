package dev.rlhf.engine.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Copies between {@link TensorData} and ONNX Runtime tensors. */
public final class Tensors {
    private Tensors() {
    }

    /**
     * An ONNX Runtime tensor over the same bytes when they are already native memory in native
     * order (TensorData's own factories make them so): ONNX Runtime only reads inputs, and
     * TensorData is immutable, so a batch is not copied once more every step. Otherwise a copy.
     */
    public static OnnxTensor toOrt(OrtEnvironment env, TensorData t) throws OrtException {
        ByteBuffer view = t.bytes();
        if (view.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return OnnxTensor.createTensor(env, view, t.dims(), javaType(t.dtype()));
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(t.byteSize()).order(ByteOrder.nativeOrder());
        direct.put(view).flip();
        return OnnxTensor.createTensor(env, direct, t.dims(), javaType(t.dtype()));
    }

    /** An ONNX Runtime tensor whose memory the caller owns, usable as a pinned output. */
    public static OnnxTensor allocate(OrtEnvironment env, DType dtype, long[] dims) throws OrtException {
        int bytes = Math.toIntExact(TensorData.elementCount(dims) * dtype.byteSize());
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(env, direct, dims, javaType(dtype));
    }

    public static TensorData fromOrt(OnnxTensor t) {
        DType dtype = dtype(t.getInfo().type);
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer copy = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(b).flip();
        return new TensorData(dtype, t.getInfo().getShape(), copy);
    }

    static OnnxJavaType javaType(DType dtype) {
        return switch (dtype) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
            case INT32 -> OnnxJavaType.INT32;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
        };
    }

    static DType dtype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> DType.FLOAT;
            case DOUBLE -> DType.DOUBLE;
            case INT64 -> DType.INT64;
            case INT32 -> DType.INT32;
            case BOOL -> DType.BOOL;
            case FLOAT16 -> DType.FLOAT16;
            default -> throw new IllegalArgumentException("unsupported output type " + type);
        };
    }
}
