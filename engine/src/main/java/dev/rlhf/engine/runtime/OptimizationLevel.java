package dev.rlhf.engine.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** ONNX Runtime graph optimisation levels. Float64 graphs must use BASIC: fused kernels are float-only. */
public enum OptimizationLevel {
    NONE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    final OptLevel ort;

    OptimizationLevel(OptLevel ort) {
        this.ort = ort;
    }
}
