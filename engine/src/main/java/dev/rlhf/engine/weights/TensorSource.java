package dev.rlhf.engine.weights;

import dev.rlhf.engine.graph.TensorData;
import java.io.IOException;
import java.util.Map;

/** Tensors under Hugging Face names: shapes known up front, values read (and dequantised) on demand. */
interface TensorSource {
    /** Hugging Face name to row-major shape, in file order. */
    Map<String, long[]> shapes();

    /** The tensor as float32 (integer tensors keep their type). */
    TensorData load(String hfName) throws IOException;
}
