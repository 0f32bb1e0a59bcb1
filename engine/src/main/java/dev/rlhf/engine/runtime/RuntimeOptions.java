package dev.rlhf.engine.runtime;

/**
 * How a graph is run. {@code deterministic} asks ONNX Runtime for deterministic kernels and runs
 * operators sequentially, so the same seed and thread count give bitwise-identical results on CPU.
 */
public record RuntimeOptions(Device device, int intraOpThreads, OptimizationLevel optimization, boolean deterministic) {
    public RuntimeOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
    }

    /** CPU, all cores, full optimisation: for float32 training and serving. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.CPU, Runtime.getRuntime().availableProcessors(), OptimizationLevel.ALL, false);
    }

    /** What float64 gradient checks need: BASIC optimisation keeps ONNX Runtime off float-only fused kernels. */
    public static RuntimeOptions float64Checks() {
        return new RuntimeOptions(Device.CPU, 1, OptimizationLevel.BASIC, true);
    }

    public RuntimeOptions withThreads(int threads) {
        return new RuntimeOptions(device, threads, optimization, deterministic);
    }

    public RuntimeOptions withOptimization(OptimizationLevel level) {
        return new RuntimeOptions(device, intraOpThreads, level, deterministic);
    }

    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(d, intraOpThreads, optimization, deterministic);
    }

    public RuntimeOptions withDeterministic(boolean on) {
        return new RuntimeOptions(device, intraOpThreads, optimization, on);
    }
}
