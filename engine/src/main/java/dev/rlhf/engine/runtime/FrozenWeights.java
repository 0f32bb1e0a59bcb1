package dev.rlhf.engine.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.rlhf.engine.graph.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Frozen weights copied once into native memory and handed to every session that uses the same
 * base model (training, reference, serving). Sessions borrow them: close this only after them.
 */
public final class FrozenWeights implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    public FrozenWeights(Engine engine, Map<String, TensorData> weights) {
        try {
            for (Map.Entry<String, TensorData> e : weights.entrySet()) {
                tensors.put(e.getKey(), Tensors.toOrt(engine.environment(), e.getValue()));
            }
        } catch (OrtException e) {
            close();
            throw new EngineException("copying frozen weights to native memory failed", e);
        }
    }

    /** The subset a graph declares as initializers. */
    public Map<String, OnnxTensor> forInitializers(Set<String> initializerNames) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (String n : initializerNames) {
            OnnxTensor t = tensors.get(n);
            if (t != null) out.put(n, t);
        }
        return out;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
        tensors.clear();
    }
}
