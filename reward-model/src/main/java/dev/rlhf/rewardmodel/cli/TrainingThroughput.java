package dev.rlhf.rewardmodel.cli;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.training.Margins;
import dev.rlhf.rewardmodel.training.RewardModelTrainer;
import dev.rlhf.rewardmodel.training.StartingPoint;
import dev.rlhf.rewardmodel.training.TrainingData;
import dev.rlhf.rewardmodel.training.TrainingSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The engine's side of {@code rlhf bench rm}: training throughput of the worker's own trainer, in pairs/s.
 * One epoch of {@code --warmup-steps} steps (graph building, first runs) is left out; then the time between
 * the ends of the first and the last epoch counts, with no validation in between (the run has no validation
 * pairs). Prints {@code engine pairs/s: X}.
 */
@Command(name = "rm-throughput", mixinStandardHelpOptions = true, description = "Time the reward-model trainer.")
public final class TrainingThroughput implements Callable<Integer> {

    @Option(names = "--model", required = true) Path model;
    @Option(names = "--data", required = true) Path data;
    @Option(names = "--lora-rank", defaultValue = "16", description = "0 trains every weight.") int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "32") double loraAlpha;
    @Option(names = "--batch-size", defaultValue = "4") int batchSize;
    @Option(names = "--max-length", defaultValue = "64") int maxLength;
    @Option(names = "--warmup-steps", defaultValue = "2") int warmupSteps;
    @Option(names = "--steps", defaultValue = "6", description = "Timed steps; a multiple of --warmup-steps.") int steps;
    @Option(names = "--threads", defaultValue = "2") int threads;
    @Option(names = "--lr", defaultValue = "1e-4") double learningRate;

    public static void main(String[] args) {
        RewardModelCli.quietLibraryLogs();
        System.exit(RewardModelCli.run(new CommandLine(new TrainingThroughput()), args));
    }

    @Override
    public Integer call() throws Exception {
        if (warmupSteps < 1 || steps < warmupSteps || steps % warmupSteps != 0) {
            throw CliFailure.usage("--steps must be a positive multiple of --warmup-steps (an epoch is --warmup-steps steps)");
        }
        List<LabelledPair> all = FilePairs.labelled(TrlPreferences.read(data).pairs(), margin -> null);
        if (all.size() < warmupSteps * batchSize) {
            throw CliFailure.badInput(data + " has " + all.size() + " pairs; " + warmupSteps * batchSize + " are needed");
        }
        List<LabelledPair> epoch = all.subList(0, warmupSteps * batchSize);
        TrainingData data = new TrainingData(epoch, List.of(), List.of(), Set.of(), 0);
        TrainingSettings settings = new TrainingSettings(loraRank > 0 ? TrainingSettings.Trainable.LORA : TrainingSettings.Trainable.FULL,
                Math.max(1, loraRank), loraAlpha, 0, learningRate, 0.0, batchSize, maxLength, 1 + steps / warmupSteps,
                Integer.MAX_VALUE, 1, 0.0, "bench", Margins.parse("none=0,1=0,2=0,3=0"), 0.0, Set.of(), true, 42, 32);
        List<Long> epochEnds = new ArrayList<>();
        List<Long> stepCounts = new ArrayList<>();
        Engine engine = new Engine(RuntimeOptions.defaults().withThreads(threads));
        long loadStart = System.nanoTime();
        try (StartingPoint start = StartingPoint.load(model)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            new RewardModelTrainer(engine, settings).train(data, start, p -> {
                epochEnds.add(System.nanoTime());
                stepCounts.add(p.step());
            });
            double seconds = (epochEnds.get(epochEnds.size() - 1) - epochEnds.get(0)) / 1e9;
            long timedSteps = stepCounts.get(stepCounts.size() - 1) - stepCounts.get(0);
            System.out.printf(Locale.ROOT, "engine sequence length: %d, batch: %d pairs, threads: %d, steps timed: %d, load: %.1f s%n",
                    maxLength, batchSize, threads, timedSteps, loadSeconds);
            System.out.printf(Locale.ROOT, "engine pairs/s: %.3f%n", timedSteps * batchSize / seconds);
        }
        return 0;
    }
}
