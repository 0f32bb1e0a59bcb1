package dev.rlhf.rewardmodel.cli;

import dev.rlhf.engine.model.ModelWeights;
import dev.rlhf.engine.reward.RewardModelExport;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.training.Margins;
import dev.rlhf.rewardmodel.training.PromptSplit;
import dev.rlhf.rewardmodel.training.RewardModelTrainer;
import dev.rlhf.rewardmodel.training.StartingPoint;
import dev.rlhf.rewardmodel.training.TrainedRewardModel;
import dev.rlhf.rewardmodel.training.TrainingData;
import dev.rlhf.rewardmodel.training.TrainingProgress;
import dev.rlhf.rewardmodel.training.TrainingSettings;
import dev.rlhf.rewardmodel.training.VersionMetrics;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code rlhf train rm}: Bradley–Terry training on a TRL preference file with the worker's trainer, split
 * by prompt, early stopping on validation accuracy; writes a model folder that {@code rlhf eval rm}, the
 * worker's scoring and a warm start ({@link StartingPoint#load}) all read.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a reward model on TRL preference JSONL (prompt/chosen/rejected, optional margin).")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "TRL preference JSONL file.")
    Path data;

    @Option(names = "--model", required = true,
            description = "Base model: a Hugging Face folder, a .gguf file, or a reward-model folder (warm start).")
    Path model;

    @Option(names = "--out", required = true, description = "Folder to create for the trained model.")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Trainable trainable = new Trainable();

    static final class Trainable {
        @Option(names = "--lora-rank", description = "LoRA on the attention weights with this rank (the default, 16).")
        Integer loraRank;

        @Option(names = "--full", description = "Train every weight.")
        boolean full;

        @Option(names = "--top-layers", description = "Train the last N blocks and the final norm.")
        Integer topLayers;
    }

    @Option(names = "--lora-alpha", defaultValue = "32", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
    double loraAlpha;

    @Option(names = "--epochs", defaultValue = "3", description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "8", description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate, warm-up then linear decay (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--max-length", defaultValue = "512", description = "Tokens per text; longer ones keep their end (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--validation-fraction", defaultValue = "0.1",
            description = "Share of prompts held out for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--split-salt", defaultValue = "rlhf", description = "Salt of the prompt hash that splits (default: ${DEFAULT-VALUE}).")
    String splitSalt;

    @Option(names = "--eval-every", defaultValue = "50", description = "Validate every N steps, and at each epoch's end (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "3",
            description = "Stop after N validations without a better accuracy (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--center-rewards", defaultValue = "0",
            description = "Reward-centering coefficient, as TRL's center_rewards_coefficient (default: ${DEFAULT-VALUE}).")
    double centering;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of shuffling and new weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scoring-batch-size", defaultValue = "32", description = "Texts per validation call (default: ${DEFAULT-VALUE}).")
    int scoringBatchSize;

    @Option(names = "--threads", description = "ONNX Runtime threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        settings(MarginStrengths.of(List.of()).margins());   // refuses bad options before any reading
        ModelFolder.checkWritable(out);
        if (!Files.exists(model)) throw CliFailure.badInput(model + ": no such model folder or file");
        TrlPreferences file = TrlPreferences.read(data);
        MarginStrengths strengths = MarginStrengths.of(file.pairs());
        TrainingSettings settings = settings(strengths.margins());
        List<LabelledPair> pairs = FilePairs.labelled(file.pairs(), strengths::strength);
        TrainingData split = FilePairs.split(pairs, new PromptSplit(splitSalt, validationFraction));
        long validationPrompts = split.validation().stream().map(LabelledPair::promptId).distinct().count();
        System.err.printf("data: %d pairs from %s: %d train, %d validation (%d prompts)%n", pairs.size(), data,
                split.train().size(), split.validation().size(), validationPrompts);
        if (split.train().isEmpty()) {
            throw CliFailure.badInput("every prompt fell into validation; lower --validation-fraction or add prompts");
        }
        if (split.validation().isEmpty()) {
            System.err.println("note: no validation pairs, so no early stopping and no accuracy"
                    + (validationFraction > 0 ? " (too few prompts for --validation-fraction " + validationFraction + ")" : ""));
        }
        Engine engine = new Engine(threads == null ? RuntimeOptions.defaults() : RuntimeOptions.defaults().withThreads(threads));
        try (StartingPoint start = load(model)) {
            TrainedRewardModel trained = train(engine, settings, split, start);
            Map<String, Double> finite = new LinkedHashMap<>();
            trained.metrics().forEach((k, v) -> {
                if (Double.isFinite(v)) finite.put(k, v);
            });
            OfflineModelMetadata metadata = new OfflineModelMetadata(OfflineModelMetadata.KIND, Instant.now(), start.source(),
                    start.encoder().encoding(), maxLength,
                    new OfflineModelMetadata.DataFile(data.toAbsolutePath().normalize().toString(), file.sha256(), pairs.size(),
                            split.train().size(), split.validation().size(), (int) validationPrompts,
                            strengths.margins().asMap()),
                    settings.asLineage(), finite, trained.history());
            Path folder = ModelFolder.write(out, metadata, dir -> {
                ModelWeights.save(dir, start.configJson(), trained.model().backbone().parameters());
                start.encoder().saveTo(dir);
                RewardModelExport.write(trained.model(), dir, Map.of("rlhf.base_model", start.source(),
                        "rlhf.data_sha256", file.sha256()));
            });
            PairEvaluation saved = evaluateSaved(engine, folder, split.validation(), file);
            printTable(trained, saved, folder);
            return 0;
        }
    }

    private TrainingSettings settings(Margins margins) {
        TrainingSettings.Trainable kind = trainable.full ? TrainingSettings.Trainable.FULL
                : trainable.topLayers != null ? TrainingSettings.Trainable.TOP_LAYERS : TrainingSettings.Trainable.LORA;
        int rank = trainable.loraRank == null ? 16 : trainable.loraRank;
        if (kind == TrainingSettings.Trainable.LORA && rank < 1) throw CliFailure.usage("--lora-rank must be at least 1");
        if (kind == TrainingSettings.Trainable.TOP_LAYERS && trainable.topLayers < 1) {
            throw CliFailure.usage("--top-layers must be at least 1");
        }
        if (threads != null && threads < 1) throw CliFailure.usage("--threads must be at least 1");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw CliFailure.usage("--validation-fraction must be in [0, 1), got " + validationFraction);
        }
        try {
            return new TrainingSettings(kind, rank, loraAlpha, trainable.topLayers == null ? 0 : trainable.topLayers,
                    learningRate, weightDecay, batchSize, maxLength, epochs, evalEvery, patience, validationFraction,
                    splitSalt, margins, centering, Set.of(), true, seed, scoringBatchSize);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    private TrainedRewardModel train(Engine engine, TrainingSettings settings, TrainingData split, StartingPoint start) {
        long steps = (long) ((split.train().size() + batchSize - 1) / batchSize) * epochs;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUnit("", 1).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            return new RewardModelTrainer(engine, settings).train(split, start, p -> show(bar, p));
        }
    }

    private static void show(ProgressBar bar, TrainingProgress p) {
        bar.stepTo(p.step());
        bar.setExtraMessage(Double.isNaN(p.validationAccuracy())
                ? String.format(Locale.ROOT, " ep %d loss %.3f", p.epoch(), p.trainLoss())
                : String.format(Locale.ROOT, " ep %d loss %.3f acc %.3f%s", p.epoch(), p.trainLoss(),
                p.validationAccuracy(), p.best() ? "*" : ""));
    }

    private static StartingPoint load(Path model) {
        try {
            return StartingPoint.load(model);
        } catch (IOException | RuntimeException e) {
            throw CliFailure.badInput(model + ": cannot be loaded as a model: " + RewardModelCli.describe(e));
        }
    }

    /** Scores the validation pairs with the written folder, as eval and the worker would: the loss column. */
    private PairEvaluation evaluateSaved(Engine engine, Path folder, List<LabelledPair> validation, TrlPreferences file) {
        if (validation.isEmpty()) return PairEvaluation.of(List.of(), new double[0], Map.of());
        try (SavedRewardModel saved = SavedRewardModel.open(engine, folder)) {
            return PairEvaluation.of(validation, FilePairs.margins(validation, file.pairs()), saved.rewards(validation, scoringBatchSize));
        }
    }

    private void printTable(TrainedRewardModel trained, PairEvaluation saved, Path folder) {
        Map<String, Double> m = trained.metrics();
        TrainingProgress best = trained.history().stream().filter(TrainingProgress::best).reduce((a, b) -> b)
                .orElse(trained.history().isEmpty() ? null : trained.history().get(trained.history().size() - 1));
        System.out.println();
        new MetricsTable()
                .add("validation accuracy", m.getOrDefault(VersionMetrics.VALIDATION_ACCURACY, Double.NaN))
                .add("validation ECE", m.getOrDefault(VersionMetrics.VALIDATION_ECE, Double.NaN))
                .add("validation loss", saved.loss())
                .add("train loss (at best)", best == null ? Double.NaN : best.trainLoss())
                .add("validation pairs", m.getOrDefault(VersionMetrics.VALIDATION_PAIRS, Double.NaN), "%.0f")
                .add("train pairs", m.getOrDefault("train_pairs", Double.NaN), "%.0f")
                .add("steps (best)", String.format(Locale.ROOT, "%.0f (%.0f)", m.get("steps"), m.get("best_step")))
                .add("pairs/s (incl. validation)", m.getOrDefault("pairs_per_second", Double.NaN), "%.1f")
                .print(System.out);
        System.out.println("model written to " + folder);
    }
}
