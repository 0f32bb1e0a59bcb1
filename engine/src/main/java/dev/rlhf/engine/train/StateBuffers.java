package dev.rlhf.engine.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.runtime.EngineException;
import dev.rlhf.engine.runtime.Tensors;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors carried from one run to the next, double-buffered: a run reads the current set and
 * writes the other as pinned outputs, then {@link #swap()} makes the written set current.
 * ONNX Runtime silently computes wrong values when a pinned output is also an input of the run.
 */
final class StateBuffers implements AutoCloseable {
    private final List<String> names;
    private final Map<String, OnnxTensor[]> pairs = new HashMap<>();
    private int current;

    StateBuffers(OrtEnvironment env, GraphBuilder shapes, List<String> names) {
        this.names = List.copyOf(names);
        try {
            for (String name : names) {
                Value v = shapes.value(name);
                pairs.put(name, new OnnxTensor[] {
                        Tensors.allocate(env, v.dtype(), v.shape().sizes()),
                        Tensors.allocate(env, v.dtype(), v.shape().sizes())});
            }
        } catch (OrtException e) {
            close();
            throw new EngineException("allocating training state failed", e);
        }
    }

    List<String> names() {
        return names;
    }

    /** Adds the current buffers as inputs under their names. */
    void feed(Map<String, OnnxTensor> inputs) {
        names.forEach(n -> inputs.put(n, pairs.get(n)[current]));
    }

    /** Adds the other buffers as pinned outputs named {@code prefix + name}. */
    void pinNext(Map<String, OnnxTensor> pinned, String prefix) {
        names.forEach(n -> pinned.put(prefix + n, pairs.get(n)[1 - current]));
    }

    void swap() {
        current = 1 - current;
    }

    TensorData read(String name) {
        return Tensors.fromOrt(pairs.get(name)[current]);
    }

    /** A copy of the buffer the next run writes (to inspect a step that is about to be discarded). */
    TensorData readNext(String name) {
        return Tensors.fromOrt(pairs.get(name)[1 - current]);
    }

    Map<String, TensorData> readAll() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, read(n)));
        return out;
    }

    void write(String name, TensorData t) {
        ByteBuffer target = (ByteBuffer) pairs.get(name)[current].getBufferRef().orElseThrow();
        if (target.capacity() != t.byteSize()) {
            throw new IllegalArgumentException("'" + name + "' needs " + target.capacity() + " bytes, got " + t);
        }
        target.clear();
        target.put(t.bytes());
        target.clear();
    }

    void zero(String name) {
        ByteBuffer target = (ByteBuffer) pairs.get(name)[current].getBufferRef().orElseThrow();
        target.clear();
        while (target.hasRemaining()) target.put((byte) 0);
        target.clear();
    }

    @Override
    public void close() {
        pairs.values().forEach(p -> {
            for (OnnxTensor t : p) if (t != null) t.close();
        });
    }
}
