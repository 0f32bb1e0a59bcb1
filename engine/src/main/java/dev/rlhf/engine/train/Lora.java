package dev.rlhf.engine.train;

import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.util.List;
import java.util.Random;

/**
 * Attaches, applies and merges LoRA adapters. The adapter is x A B with A (in, r) and B (r, out)
 * whether the base weight is stored (in, out) (GPT-2's Conv1D) or (out, in) (torch Linear, see
 * {@link Parameters#storedOutByIn}). B starts at zero: the adapted model begins exactly as the base.
 */
public final class Lora {
    public static final String A = ".lora_A";
    public static final String B = ".lora_B";

    private Lora() {
    }

    /** Adds adapters to every targeted weight and freezes everything else. */
    public static void attach(Parameters p, LoraConfig config, Random rng) {
        List<String> targets = p.names().stream().filter(config.targets()).toList();
        if (targets.isEmpty()) throw new IllegalArgumentException("LoRA targets match no parameter");
        for (String w : targets) {
            TensorData weight = p.get(w);
            boolean outByIn = p.isStoredOutByIn(w);
            long in = weight.dims()[outByIn ? 1 : 0], out = weight.dims()[outByIn ? 0 : 1];
            // A as PEFT initialises it (Kaiming-uniform with a = sqrt 5: bound 1 / sqrt(in))
            double bound = 1 / Math.sqrt(in);
            double[] a = new double[(int) (in * config.rank())];
            for (int i = 0; i < a.length; i++) a[i] = (rng.nextDouble() * 2 - 1) * bound;
            p.add(w + A, TensorData.ofReals(weight.dtype(), new long[] {in, config.rank()}, a));
            p.add(w + B, TensorData.zeros(weight.dtype(), config.rank(), out));
        }
        p.freeze(name -> !name.endsWith(A) && !name.endsWith(B));
        p.lora(config);
    }

    /** y + scale * (dropout(x) A) B when the weight has an adapter, else y unchanged. */
    public static Value adapt(Ops o, Parameters p, String weightName, Value x, Value y) {
        LoraConfig config = p.lora();
        if (config == null || !p.has(weightName + A)) return y;
        var g = o.graph();
        Value in = p.training() && config.dropout() > 0 ? o.dropout(x, config.dropout(), weightName.hashCode()) : x;
        Value low = o.matMul(o.matMul(in, p.bind(g, weightName + A)), p.bind(g, weightName + B)); // (B, T, out)
        return o.add(y, o.mul(low, config.scale()));
    }

    /** Folds every adapter into its base weight (W + scale A B) and removes it: the model to serve. */
    public static void merge(Parameters p) {
        LoraConfig config = p.lora();
        if (config == null) throw new IllegalStateException("no LoRA adapters attached");
        p.lora(null);
        for (String name : p.names()) {
            if (!name.endsWith(A)) continue;
            String w = name.substring(0, name.length() - A.length());
            double[] weight = p.get(w).toDoubles(), a = p.remove(name).toDoubles(), b = p.remove(w + B).toDoubles();
            long[] dims = p.get(w).dims();
            boolean outByIn = p.isStoredOutByIn(w);
            int in = (int) dims[outByIn ? 1 : 0], out = (int) dims[outByIn ? 0 : 1], r = config.rank();
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    double sum = 0;
                    for (int k = 0; k < r; k++) sum += a[i * r + k] * b[k * out + j];
                    weight[outByIn ? j * in + i : i * out + j] += config.scale() * sum;
                }
            }
            p.set(w, TensorData.ofReals(p.get(w).dtype(), dims, weight));
        }
        p.unfreeze(n -> true);
    }
}
