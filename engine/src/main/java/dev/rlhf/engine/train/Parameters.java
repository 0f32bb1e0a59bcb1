package dev.rlhf.engine.train;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.Shape;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A model's named weights and which of them train. A trainable weight becomes a graph input
 * (fed each step, updated by the optimizer); a frozen one becomes an initializer stored in the
 * model, so it is loaded once per session and never crosses the Java boundary again.
 */
public final class Parameters {
    private final Map<String, TensorData> values = new LinkedHashMap<>();
    private final Set<String> frozen = new HashSet<>();
    /** Matrices stored (out, in) as torch.nn.Linear keeps them; the rest are (in, out). */
    private final Set<String> outByIn = new HashSet<>();
    /** Whether graphs built now are for training: turns dropout on. */
    private boolean training = true;
    /** The adapters attached by {@link Lora#attach}, or null. */
    private LoraConfig lora;

    public TensorData add(String name, TensorData initial) {
        if (values.putIfAbsent(name, initial) != null) {
            throw new IllegalArgumentException("parameter '" + name + "' already exists");
        }
        return initial;
    }

    /** Normal(0, std) initial values, the GPT-2 initialisation for weight matrices and embeddings. */
    public static TensorData normal(Random rng, DType dtype, double std, long... dims) {
        double[] v = new double[Math.toIntExact(TensorData.elementCount(dims))];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian() * std;
        return TensorData.ofReals(dtype, dims, v);
    }

    public static TensorData filled(DType dtype, double value, long... dims) {
        double[] v = new double[Math.toIntExact(TensorData.elementCount(dims))];
        java.util.Arrays.fill(v, value);
        return TensorData.ofReals(dtype, dims, v);
    }

    /** The parameter as a value of graph {@code g}: an input if it trains, an initializer if frozen. */
    public Value bind(GraphBuilder g, String name) {
        if (g.has(name)) return g.value(name);
        TensorData data = get(name);
        return frozen.contains(name) ? g.initializer(name, data) : g.input(name, data.dtype(), Shape.of(data.dims()));
    }

    public TensorData get(String name) {
        TensorData t = values.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter '" + name + "'; have " + values.keySet());
        return t;
    }

    public void set(String name, TensorData value) {
        TensorData old = get(name);
        if (!java.util.Arrays.equals(old.dims(), value.dims()) || old.dtype() != value.dtype()) {
            throw new IllegalArgumentException("parameter '" + name + "' is " + old + ", cannot set " + value);
        }
        values.put(name, value);
    }

    /** Freezes every parameter whose name matches (e.g. all but the top layers, or the whole base under LoRA). */
    public Parameters freeze(Predicate<String> which) {
        values.keySet().stream().filter(which).forEach(frozen::add);
        return this;
    }

    public Parameters unfreeze(Predicate<String> which) {
        frozen.removeIf(which);
        return this;
    }

    /** Marks matching matrices as stored (out, in), the Hugging Face Linear layout (LoRA reads it). */
    public Parameters storedOutByIn(Predicate<String> which) {
        values.keySet().stream().filter(which).forEach(outByIn::add);
        return this;
    }

    public boolean isStoredOutByIn(String name) {
        return outByIn.contains(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public TensorData remove(String name) {
        frozen.remove(name);
        outByIn.remove(name);
        return values.remove(name);
    }

    public LoraConfig lora() {
        return lora;
    }

    void lora(LoraConfig config) {
        lora = config;
    }

    public boolean training() {
        return training;
    }

    /** Graphs built after {@code training(false)} are for inference: no dropout. */
    public Parameters training(boolean on) {
        training = on;
        return this;
    }

    public boolean isFrozen(String name) {
        return frozen.contains(name);
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    public List<String> trainableNames() {
        List<String> out = new ArrayList<>();
        for (String n : values.keySet()) if (!frozen.contains(n)) out.add(n);
        return out;
    }

    public Map<String, TensorData> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
