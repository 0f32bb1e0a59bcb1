package dev.rlhf.deploy.model;

import dev.rlhf.engine.generate.GeneratedSequence;
import dev.rlhf.engine.generate.GenerationSettings;
import dev.rlhf.engine.generate.Generator;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.engine.tokenizer.ChatMessage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./rlhf generate}: one completion of a prompt, printed to standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a completion of a prompt with a model folder (Hugging Face or engine) or a GGUF file.")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "a model folder (config.json, weights, tokenizer.json) or a .gguf file")
    Path model;

    @Option(names = "--prompt", required = true, description = "the prompt text")
    String prompt;

    @Option(names = "--chat", description = "wrap the prompt as a user message in the model's chat template")
    boolean chat;

    @Option(names = "--system", description = "with --chat: a system message before the prompt")
    String system;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "at most this many new tokens (default ${DEFAULT-VALUE})")
    int maxNewTokens;

    @ArgGroup(exclusive = true)
    Decoding decoding = new Decoding();

    static final class Decoding {
        @Option(names = "--greedy", description = "always the most likely token (the default)")
        boolean greedy;

        @ArgGroup(exclusive = false)
        Sampling sampling;
    }

    static final class Sampling {
        @Option(names = "--temperature", required = true, description = "sample with this temperature (> 0)")
        double temperature;

        @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus: keep the most likely tokens up to this mass (default ${DEFAULT-VALUE})")
        double topP;

        @Option(names = "--top-k", defaultValue = "0", description = "keep only the k most likely tokens (0: all)")
        int topK;

        @Option(names = "--seed", defaultValue = "0", description = "the same seed gives the same text (default ${DEFAULT-VALUE})")
        long seed;
    }

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "> 1 discourages tokens already in the text (default ${DEFAULT-VALUE})")
    double repetitionPenalty;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core)")
    int threads;

    @Option(names = "--show-tokens", description = "also print each generated token with its log-probability (to standard error)")
    boolean showTokens;

    @Override
    public Integer call() throws Exception {
        if (maxNewTokens < 1) throw new ParameterException(spec.commandLine(), "--max-new-tokens must be at least 1");
        if (prompt.isBlank()) throw new ParameterException(spec.commandLine(), "--prompt is empty");
        LoadedModel loaded = LoadedModel.load(model);
        String text = prompt;
        if (chat) {
            var template = loaded.chat().orElseThrow(() -> new ParameterException(spec.commandLine(),
                    model + " has no chat template; drop --chat to complete the raw text"));
            List<ChatMessage> messages = new ArrayList<>();
            if (system != null) messages.add(ChatMessage.system(system));
            messages.add(ChatMessage.user(prompt));
            text = template.apply(messages, true);
        }
        int[] ids = loaded.tokenizer().encode(text, !chat);
        List<Integer> promptIds = new ArrayList<>(ids.length);
        for (int id : ids) promptIds.add(id);

        List<Integer> stops = new ArrayList<>(loaded.lm().shape().eosTokenIds());
        loaded.tokenizer().eosId().ifPresent(id -> { if (!stops.contains(id)) stops.add(id); });
        GenerationSettings settings = settings(stops);

        RuntimeOptions options = RuntimeOptions.defaults();
        if (threads > 0) options = options.withThreads(threads);
        long started = System.nanoTime();
        GeneratedSequence out;
        try (Generator generator = new Generator(new Engine(options), loaded.lm())) {
            long compiled = System.nanoTime();
            out = generator.generate(List.of(promptIds), settings).get(0);
            long done = System.nanoTime();
            spec.commandLine().getErr().printf("rlhf generate: %d prompt tokens, %d new tokens in %.2f s (compile %.2f s)%n",
                    promptIds.size(), out.length(), (done - compiled) / 1e9, (compiled - started) / 1e9);
        }
        int[] generated = out.tokens().stream().mapToInt(Integer::intValue).toArray();
        if (showTokens) {
            for (int i = 0; i < generated.length; i++) {
                spec.commandLine().getErr().printf("  %6d %-20s %8.4f%n", generated[i], '"' + loaded.tokenizer().token(generated[i]) + '"', out.logProbs()[i]);
            }
        }
        spec.commandLine().getOut().println(loaded.tokenizer().decode(generated, true));
        return 0;
    }

    private GenerationSettings settings(List<Integer> stops) {
        if (decoding == null || decoding.sampling == null) return GenerationSettings.greedy(maxNewTokens, stops).withRepetitionPenalty(repetitionPenalty);
        Sampling s = decoding.sampling;
        if (!(s.temperature > 0)) throw new ParameterException(spec.commandLine(), "--temperature must be above 0");
        if (!(s.topP > 0 && s.topP <= 1)) throw new ParameterException(spec.commandLine(), "--top-p must be in (0, 1]");
        if (s.topK < 0) throw new ParameterException(spec.commandLine(), "--top-k must be 0 (all) or more");
        GenerationSettings settings = GenerationSettings.sampling(maxNewTokens, s.temperature, s.topP, s.seed, stops)
                .withRepetitionPenalty(repetitionPenalty);
        return s.topK > 0 ? settings.withTopK(s.topK) : settings;
    }
}
