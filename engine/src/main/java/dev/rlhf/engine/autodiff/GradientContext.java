package dev.rlhf.engine.autodiff;

import dev.rlhf.engine.graph.Node;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.Value;
import java.util.List;

/** What a gradient rule sees of one node: its values, the incoming gradients, and which inputs need gradients. */
public record GradientContext(Ops ops, Node node, List<Value> inputs, List<Value> outputs,
                              List<Value> outputGradients, boolean[] needsGradient) {

    public Value input(int i) {
        return inputs.get(i);
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    /** The gradient of the first (usually only) output. */
    public Value grad() {
        return outputGradients.get(0);
    }

    public boolean needs(int i) {
        return i < needsGradient.length && needsGradient[i];
    }

    public int inputCount() {
        return inputs.size();
    }

    public long[] constantInts(int inputIndex) {
        return ops.graph().constantValue(input(inputIndex).name()).toLongs();
    }

    /** Input {@code inputIndex}'s value when a Constant node makes it and it is one number. */
    public java.util.OptionalDouble constantScalar(int inputIndex) {
        String name = input(inputIndex).name();
        boolean constant = ops.graph().producer(name).map(n -> n.opType().equals("Constant")).orElse(false);
        if (!constant) return java.util.OptionalDouble.empty();
        double[] values = ops.graph().constantValue(name).toDoubles();
        return values.length == 1 ? java.util.OptionalDouble.of(values[0]) : java.util.OptionalDouble.empty();
    }
}
