package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.training.PromptSplit;
import dev.rlhf.rewardmodel.training.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code rlhf eval rm}: accuracy, calibration (ECE) and Bradley–Terry loss of a saved reward model on any TRL
 * preference file; {@code --split validation} keeps only the pairs the model's own run held out (by the salt
 * and fraction its metadata records), which reproduces that run's validation accuracy.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a reward model folder on TRL preference JSONL.")
public final class EvalCommand implements Callable<Integer> {

    enum Split { all, train, validation }

    @Option(names = "--model", required = true, description = "A folder written by rlhf train rm (or a worker's registry version).")
    Path model;

    @Option(names = "--data", required = true, description = "TRL preference JSONL file.")
    Path data;

    @Option(names = "--split", defaultValue = "all",
            description = "Which pairs: all, or the train/validation side of the model's own split (default: ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per scoring call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", description = "ONNX Runtime threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (batchSize < 1) throw CliFailure.usage("--batch-size must be at least 1");
        if (threads != null && threads < 1) throw CliFailure.usage("--threads must be at least 1");
        Engine engine = new Engine(threads == null ? RuntimeOptions.defaults() : RuntimeOptions.defaults().withThreads(threads));
        try (SavedRewardModel saved = SavedRewardModel.open(engine, model)) {
            TrlPreferences file = TrlPreferences.read(data);
            List<LabelledPair> pairs = select(FilePairs.labelled(file.pairs(), margin -> null), saved.metadata());
            if (pairs.isEmpty()) throw CliFailure.badInput("no pairs of " + data + " fall into the " + split + " split");
            long started = System.nanoTime();
            Map<UUID, Double> rewards = saved.rewards(pairs, batchSize);
            double seconds = (System.nanoTime() - started) / 1e9;
            PairEvaluation e = PairEvaluation.of(pairs, FilePairs.margins(pairs, file.pairs()), rewards);
            new MetricsTable()
                    .add("pairs", e.pairs(), "%.0f")
                    .add("accuracy", e.accuracy())
                    .add("ECE", e.ece())
                    .add("loss", e.loss())
                    .add("mean margin", e.meanMargin())
                    .add("pairs/s (scoring)", e.pairs() / seconds, "%.1f")
                    .print(System.out);
            return 0;
        }
    }

    private List<LabelledPair> select(List<LabelledPair> pairs, JsonNode metadata) {
        if (split == Split.all) return pairs;
        JsonNode config = metadata.has("config") ? metadata.path("config") : metadata.path("lineage").path("hyperparameters");
        if (!config.path("splitSalt").isTextual() || !config.path("validationFraction").isNumber()) {
            throw CliFailure.badInput(model + ": its metadata.json records no split (splitSalt, validationFraction); use --split all");
        }
        TrainingData sides = FilePairs.split(pairs, new PromptSplit(config.path("splitSalt").asText(),
                config.path("validationFraction").asDouble()));
        return split == Split.validation ? sides.validation() : sides.train();
    }
}
