package dev.rlhf.engine.generate;

import dev.rlhf.engine.graph.DType;
import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.runtime.CompiledGraph;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates continuations of batches of token-id prompts with one ONNX Runtime session per model
 * (see {@link GenerationGraph}): every setting is a graph input, so one compiled session serves
 * greedy and sampled decoding alike, and a batch costs one {@code run}. Randomness is a tensor of
 * uniforms drawn here from {@link SplittableRandom} seeded by the settings, row by row, so the
 * same seed, prompts and batch order give the same tokens whatever ONNX Runtime's own generator does.
 */
public final class Generator implements AutoCloseable {
    private final CausalLm.LmShape shape;
    private final CompiledGraph session;

    /** Compiles with the weights serialised into the session's model. */
    public Generator(Engine engine, CausalLm model) {
        this.shape = model.shape();
        this.session = engine.compile(GenerationGraph.build(model));
    }

    /** Compiles with the weights borrowed from native memory (shared with other sessions; close them after this). */
    public Generator(Engine engine, CausalLm model, FrozenWeights weights) {
        this.shape = model.shape();
        GraphBuilder g = GenerationGraph.build(model);
        this.session = engine.compile(g, weights.forInitializers(g.initializers().keySet()));
    }

    /** Runs an exported generation model ({@link PolicyExport}) compiled from its file. */
    public Generator(CompiledGraph exported, CausalLm.LmShape shape) {
        this.shape = shape;
        this.session = exported;
    }

    public List<GeneratedSequence> generate(List<List<Integer>> prompts, GenerationSettings settings) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts to generate from");
        int batch = prompts.size();
        int longest = 0;
        for (int i = 0; i < batch; i++) {
            List<Integer> p = prompts.get(i);
            if (p.isEmpty()) throw new IllegalArgumentException("prompt " + i + " is empty");
            for (int t : p) {
                if (t < 0 || t >= shape.vocabSize()) {
                    throw new IllegalArgumentException("prompt " + i + " holds token " + t
                            + " outside the vocabulary [0, " + shape.vocabSize() + ")");
                }
            }
            longest = Math.max(longest, p.size());
        }
        if (shape.maxPositions() > 0 && longest + settings.maxNewTokens() > shape.maxPositions()) {
            throw new IllegalArgumentException("prompt of " + longest + " tokens plus " + settings.maxNewTokens()
                    + " new tokens exceeds the model's " + shape.maxPositions() + " positions");
        }
        Map<String, TensorData> out = session.run(feeds(prompts, longest, settings));
        return sequences(out, batch, settings);
    }

    static Map<String, TensorData> feeds(List<List<Integer>> prompts, int longest, GenerationSettings s) {
        int batch = prompts.size(), steps = s.maxNewTokens();
        long[] ids = new long[batch * longest], mask = new long[batch * longest];
        for (int b = 0; b < batch; b++) {
            List<Integer> p = prompts.get(b);
            int offset = longest - p.size();                     // left padding
            for (int t = 0; t < p.size(); t++) {
                ids[b * longest + offset + t] = p.get(t);
                mask[b * longest + offset + t] = 1;
            }
        }
        float[] uniforms = new float[batch * steps];
        SplittableRandom rng = new SplittableRandom(s.seed());
        for (int i = 0; i < uniforms.length; i++) {
            uniforms[i] = rng.nextInt(1 << 24) * 0x1.0p-24f;     // exact floats in [0, 1)
        }
        long[] stops = s.stopTokens().isEmpty() ? new long[] {-1}
                : s.stopTokens().stream().mapToLong(Integer::longValue).toArray();
        Map<String, TensorData> f = new HashMap<>();
        f.put(GenerationGraph.INPUT_IDS, TensorData.ofLongs(new long[] {batch, longest}, ids));
        f.put(GenerationGraph.ATTENTION_MASK, TensorData.ofLongs(new long[] {batch, longest}, mask));
        f.put(GenerationGraph.UNIFORMS, TensorData.ofFloats(new long[] {batch, steps}, uniforms));
        f.put(GenerationGraph.STOP_TOKENS, TensorData.ofLongs(new long[] {stops.length}, stops));
        f.put(GenerationGraph.GREEDY, TensorData.ofBools(new long[0], s.greedy()));
        f.put(GenerationGraph.TEMPERATURE, TensorData.ofFloats(new long[0], (float) (s.greedy() ? 1 : s.temperature())));
        f.put(GenerationGraph.TOP_K, TensorData.ofLongs(new long[0], s.topK()));
        f.put(GenerationGraph.TOP_P, TensorData.ofFloats(new long[0], (float) s.topP()));
        f.put(GenerationGraph.REPETITION_PENALTY, TensorData.ofFloats(new long[0], (float) s.repetitionPenalty()));
        return f;
    }

    private static List<GeneratedSequence> sequences(Map<String, TensorData> out, int batch, GenerationSettings s) {
        long[] tokens = out.get(GenerationGraph.TOKENS).toLongs();
        float[] logProbs = out.get(GenerationGraph.LOG_PROBS).toFloats();
        float[] modelLogProbs = out.get(GenerationGraph.MODEL_LOG_PROBS).toFloats();
        long[] lengths = out.get(GenerationGraph.LENGTHS).toLongs();
        int steps = (int) out.get(GenerationGraph.TOKENS).dims()[1];
        List<GeneratedSequence> result = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int n = (int) lengths[b];
            List<Integer> ids = new ArrayList<>(n);
            for (int t = 0; t < n; t++) ids.add((int) tokens[b * steps + t]);
            float[] lp = java.util.Arrays.copyOfRange(logProbs, b * steps, b * steps + n);
            float[] mlp = java.util.Arrays.copyOfRange(modelLogProbs, b * steps, b * steps + n);
            boolean stopped = n > 0 && s.stopTokens().contains(ids.get(n - 1));
            result.add(new GeneratedSequence(List.copyOf(ids), lp, mlp, stopped));
        }
        return result;
    }

    @Override
    public void close() {
        session.close();
    }
}
