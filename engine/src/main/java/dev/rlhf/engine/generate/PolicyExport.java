package dev.rlhf.engine.generate;

import dev.rlhf.engine.graph.GraphBuilder;
import dev.rlhf.engine.graph.ModelWriter;
import dev.rlhf.engine.graph.Value;
import dev.rlhf.engine.model.CausalLm;
import dev.rlhf.engine.train.Lora;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a policy as a standalone ONNX model: the whole {@link GenerationGraph} (prefill and the
 * in-graph decode loop), every weight an initializer in the external-data file
 * {@value #FILE}{@code .data}. Any ONNX Runtime (Python, C#, C++) runs it from the file alone:
 * feed {@code input_ids}, {@code attention_mask}, {@code uniforms} and the settings scalars, read
 * {@code tokens}, {@code log_probs}, {@code model_log_probs} and {@code lengths}. Merge LoRA
 * adapters into the base weights first ({@link Lora#merge}) and freeze every weight.
 */
public final class PolicyExport {
    public static final String FILE = "model.onnx";
    /** Every initializer goes to the data file: the graph file holds only the graph. */
    private static final long EXTERNAL_THRESHOLD = 0;

    private PolicyExport() {
    }

    public static Path write(CausalLm policy, Path dir, Map<String, String> metadata) throws IOException {
        GraphBuilder g = GenerationGraph.build(policy);
        Set<String> expected = Set.of(GenerationGraph.INPUT_IDS, GenerationGraph.ATTENTION_MASK, GenerationGraph.UNIFORMS,
                GenerationGraph.STOP_TOKENS, GenerationGraph.GREEDY, GenerationGraph.TEMPERATURE, GenerationGraph.TOP_K,
                GenerationGraph.TOP_P, GenerationGraph.REPETITION_PENALTY);
        List<String> weightsAsInputs = g.inputs().stream().map(Value::name).filter(n -> !expected.contains(n)).toList();
        if (!weightsAsInputs.isEmpty()) {
            throw new IllegalStateException("weights " + weightsAsInputs + " are trainable graph inputs; freeze every "
                    + "weight before export so the model carries them");
        }
        List<String> adapters = g.initializers().keySet().stream()
                .filter(n -> n.endsWith(Lora.A) || n.endsWith(Lora.B)).toList();
        if (!adapters.isEmpty()) {
            throw new IllegalStateException("LoRA adapters " + adapters + " are not merged; call Lora.merge before export");
        }
        CausalLm.LmShape s = policy.shape();
        Map<String, String> props = new LinkedHashMap<>(metadata);
        props.put("rlhf.graph", "generate");
        props.put("rlhf.vocab_size", Integer.toString(s.vocabSize()));
        props.put("rlhf.max_positions", Integer.toString(s.maxPositions()));
        props.put("rlhf.eos_token_ids", s.eosTokenIds().toString());
        return ModelWriter.write(g, props, dir, FILE, EXTERNAL_THRESHOLD);
    }
}
