package dev.rlhf.engine.runtime;

/** Where ONNX Runtime executes a graph. CPU is the default everywhere. */
public enum Device {
    CPU,
    /** Needs the onnxruntime_gpu artifact, CUDA 12 and cuDNN 9 on the machine. */
    CUDA
}
