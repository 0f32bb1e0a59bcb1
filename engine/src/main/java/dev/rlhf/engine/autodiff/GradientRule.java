package dev.rlhf.engine.autodiff;

import java.util.List;

/** The backward twin of one ONNX operator: maps output gradients to input gradients. */
@FunctionalInterface
public interface GradientRule {
    /**
     * Returns one gradient per node input, in input order; null where an input needs none
     * (the context says which inputs need one, so unneeded subgraphs are never built).
     */
    List<dev.rlhf.engine.graph.Value> backward(GradientContext ctx);
}
