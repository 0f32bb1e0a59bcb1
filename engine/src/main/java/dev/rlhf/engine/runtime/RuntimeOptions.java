package dev.rlhf.engine.runtime;

/**
 * How a graph is run. {@code deterministic} asks ONNX Runtime for deterministic kernels and runs
 * operators sequentially, so the same seed and thread count give bitwise-identical results on CPU.
 * {@code fusedKernels} lets the engine run a graph's {@link dev.rlhf.engine.graph.FusedKernel}s on
 * librlhf_ops ({@link FusedKernels}) on CPU at EXTENDED or ALL optimisation, when the library is there;
 * the kernels are deterministic too.
 */
public record RuntimeOptions(Device device, int intraOpThreads, OptimizationLevel optimization, boolean deterministic,
                             boolean fusedKernels) {
    public RuntimeOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
    }

    /** CPU, all cores, full optimisation, fused kernels: for float32 training and serving. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.CPU, Runtime.getRuntime().availableProcessors(), OptimizationLevel.ALL, false, true);
    }

    /** What float64 gradient checks need: BASIC optimisation keeps ONNX Runtime off float-only fused kernels. */
    public static RuntimeOptions float64Checks() {
        return new RuntimeOptions(Device.CPU, 1, OptimizationLevel.BASIC, true, false);
    }

    public RuntimeOptions withThreads(int threads) {
        return new RuntimeOptions(device, threads, optimization, deterministic, fusedKernels);
    }

    public RuntimeOptions withOptimization(OptimizationLevel level) {
        return new RuntimeOptions(device, intraOpThreads, level, deterministic, fusedKernels);
    }

    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(d, intraOpThreads, optimization, deterministic, fusedKernels);
    }

    public RuntimeOptions withDeterministic(boolean on) {
        return new RuntimeOptions(device, intraOpThreads, optimization, on, fusedKernels);
    }

    public RuntimeOptions withFusedKernels(boolean on) {
        return new RuntimeOptions(device, intraOpThreads, optimization, deterministic, on);
    }

    /** Whether graphs compiled with these options run their fused kernels (the library is there and allowed). */
    public boolean runsFusedKernels() {
        return fusedKernels && device == Device.CPU && FusedKernels.library().isPresent()
                && (optimization == OptimizationLevel.EXTENDED || optimization == OptimizationLevel.ALL);
    }
}
