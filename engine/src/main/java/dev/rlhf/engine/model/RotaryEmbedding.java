package dev.rlhf.engine.model;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.Ops;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.graph.Value;
import java.util.List;

/**
 * Rotary position embeddings in Hugging Face's rotate_half convention: x cos + rotate_half(x) sin,
 * where rotate_half(x) = (-x2, x1) for the halves x1, x2 of the head dimension. The cos and sin
 * tables (positions, D) are constants computed once in Java (in float32 arithmetic, as
 * transformers computes them, when the model is float32) and looked up by position ids, so no
 * step recomputes them. The sin table is stored signed, (-sin, sin), so that a rotation is
 * x cos + swap_halves(x) sinSigned.
 */
final class RotaryEmbedding {
    private RotaryEmbedding() {
    }

    /** Per-forward values shared by every layer: cos and signed sin (B, T, 1, D), broadcasting over heads. */
    record Tables(Value cos, Value sinSigned) {
    }

    static Tables lookup(Ops o, ModelConfig c, Value positionIds) {
        TensorData[] t = tables(c);
        return new Tables(o.unsqueeze(o.gather(o.constant(t[0]), positionIds, 0), 2),
                o.unsqueeze(o.gather(o.constant(t[1]), positionIds, 0), 2));
    }

    /**
     * Rotates heads laid out (B, T, N, D): x cos + swap_halves(x) sinSigned, for any number of heads,
     * so queries and keys rotate together. The swap is Split + Concat: a Gather along D (one operator)
     * measured 2-3x slower than both in prefill, ONNX Runtime gathering 4-byte elements one by one.
     */
    static Value rotate(Ops o, Value x, Tables t) {
        long half = x.shape().dim(-1).size() / 2;
        List<Value> halves = o.split(x, -1, half, half);
        Value swapped = o.concat(-1, halves.get(1), halves.get(0));
        return o.add(o.mul(x, t.cos()), o.mul(swapped, t.sinSigned()));
    }

    /** [cos, signed sin], each (maxPositions, D). */
    static TensorData[] tables(ModelConfig c) {
        int d = c.headSize(), n = c.maxPositions(), half = d / 2;
        double[] invFreq = inverseFrequencies(c);
        boolean f32 = c.dtype() == DType.FLOAT;
        double[] cos = new double[n * d], sin = new double[n * d];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < half; i++) {
                double angle = f32 ? (float) ((float) p * (float) invFreq[i]) : p * invFreq[i];
                double cs = Math.cos(angle), sn = Math.sin(angle);
                cos[p * d + i] = cs;
                cos[p * d + half + i] = cs;
                sin[p * d + i] = -sn;
                sin[p * d + half + i] = sn;
            }
        }
        long[] dims = {n, d};
        return new TensorData[] {TensorData.ofReals(c.dtype(), dims, cos), TensorData.ofReals(c.dtype(), dims, sin)};
    }

    /** 1 / theta^(2i / D), with linear or Llama-3 scaling as transformers' rope utilities apply it. */
    static double[] inverseFrequencies(ModelConfig c) {
        int d = c.headSize(), half = d / 2;
        boolean f32 = c.dtype() == DType.FLOAT;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            if (f32) {   // transformers: 1.0 / (base ** (arange(0, D, 2).float() / D)), each step rounded to float32
                float exponent = (float) (2 * i) / d;
                inv[i] = 1.0f / (float) Math.pow(c.rotary().theta(), exponent);
            } else {
                inv[i] = 1.0 / Math.pow(c.rotary().theta(), (2.0 * i) / d);
            }
        }
        ModelConfig.RopeScaling s = c.rotary().scaling();
        if (s == null) return inv;
        for (int i = 0; i < half; i++) {
            inv[i] = switch (s.type()) {
                case "linear" -> f32 ? (float) inv[i] / (float) s.factor() : inv[i] / s.factor();
                case "llama3" -> f32 ? llama3Float((float) inv[i], s) : llama3(inv[i], s);
                default -> throw new IllegalArgumentException("rope_scaling type '" + s.type() + "' is not supported");
            };
        }
        return inv;
    }

    /** {@link #llama3} in float32 arithmetic, step by step as transformers evaluates it on float tensors. */
    private static float llama3Float(float inv, ModelConfig.RopeScaling s) {
        float factor = (float) s.factor(), low = (float) s.lowFreqFactor(), high = (float) s.highFreqFactor();
        float wavelength = (float) (2 * Math.PI) / inv;
        float stretched = wavelength > s.originalMaxPositions() / s.lowFreqFactor() ? inv / factor : inv;
        float smooth = ((float) s.originalMaxPositions() / wavelength - low) / (float) (s.highFreqFactor() - s.lowFreqFactor());
        float smoothed = (1 - smooth) * stretched / factor + smooth * stretched;
        boolean medium = !(wavelength < s.originalMaxPositions() / s.highFreqFactor())
                && !(wavelength > s.originalMaxPositions() / s.lowFreqFactor());
        return medium ? smoothed : stretched;
    }

    private static double llama3(double inv, ModelConfig.RopeScaling s) {
        double lowWavelength = s.originalMaxPositions() / s.lowFreqFactor();
        double highWavelength = s.originalMaxPositions() / s.highFreqFactor();
        double wavelength = 2 * Math.PI / inv;
        if (wavelength < highWavelength) return inv;                 // high frequencies keep their value
        if (wavelength > lowWavelength) return inv / s.factor();     // low frequencies are stretched
        double smooth = (s.originalMaxPositions() / wavelength - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
        return (1 - smooth) * inv / s.factor() + smooth * inv;
    }
}
