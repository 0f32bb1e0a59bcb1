package dev.rlhf.engine.graph;

import java.util.List;

/**
 * A stretch of the graph that one fused CPU kernel computes in a single pass: {@code outputs} as a
 * function of {@code inputs} (value names), exactly as the nodes in between compute them. The nodes
 * stay the graph's meaning, the kernel is an alternative way to run them: the engine swaps it in when
 * the kernel library is loaded ({@code runtime.KernelFusion}); everywhere else the nodes run.
 */
public record FusedKernel(String opType, List<String> inputs, List<String> outputs) {
    public FusedKernel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    FusedKernel renamed(String from, String to) {
        return new FusedKernel(opType, inputs.stream().map(n -> n.equals(from) ? to : n).toList(),
                outputs.stream().map(n -> n.equals(from) ? to : n).toList());
    }
}
