package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.graph.TensorData;
import dev.rlhf.engine.model.DecoderLm;
import dev.rlhf.engine.model.RewardModel;
import dev.rlhf.engine.optim.AdamW;
import dev.rlhf.engine.optim.LearningRateSchedule;
import dev.rlhf.engine.optim.ParamGroup;
import dev.rlhf.engine.reward.BradleyTerryTraining;
import dev.rlhf.engine.reward.RewardScoring;
import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.FrozenWeights;
import dev.rlhf.engine.train.Lora;
import dev.rlhf.engine.train.LoraConfig;
import dev.rlhf.engine.train.Parameters;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PromptFormat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Bradley–Terry run: chooses what trains, steps through shuffled epochs, validates every
 * {@code evalEvery} steps and at each epoch's end, keeps the state with the best validation accuracy,
 * stops after {@code patience} validations without improvement, and returns the best model with its
 * metrics. The engine does the numerics ({@link BradleyTerryTraining}, {@link RewardScoring}).
 */
public final class RewardModelTrainer {
    private static final Pattern LAYER = Pattern.compile("\\.(?:h|layers)\\.(\\d+)\\.");
    private static final double MAX_GRAD_NORM = 1.0;

    private final Engine engine;
    private final TrainingSettings settings;

    public RewardModelTrainer(Engine engine, TrainingSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /** Trains on {@code data} from {@code start}, whose parameters it changes in place. */
    public TrainedRewardModel train(TrainingData data, StartingPoint start, Consumer<TrainingProgress> progress) {
        if (data.train().isEmpty()) {
            throw new IllegalArgumentException("no training pairs: every pair was filtered out or held out");
        }
        Random rng = new Random(settings.seed());
        DecoderLm backbone = start.backbone();
        Parameters params = backbone.parameters();
        RewardModel model = params.has(RewardModel.SCORE) ? new RewardModel(backbone)
                : RewardModel.withNewHead(backbone, rng, 0.02);
        chooseTrainable(params, backbone.config().layers(), rng);

        TextEncoder encoder = start.encoder();
        List<int[]> chosen = new ArrayList<>(), rejected = new ArrayList<>();
        double[] margins = new double[data.train().size()];
        for (int i = 0; i < data.train().size(); i++) {
            LabelledPair p = data.train().get(i);
            chosen.add(encode(encoder, p.prompt(), p.chosen()));
            rejected.add(encode(encoder, p.prompt(), p.rejected()));
            margins[i] = settings.margins().margin(p.strength());
        }
        int stepsPerEpoch = (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
        long totalSteps = (long) stepsPerEpoch * settings.maxEpochs();
        LearningRateSchedule schedule = LearningRateSchedule.warmupLinear(settings.learningRate(),
                Math.max(1, totalSteps / 10), totalSteps, 0);

        Map<String, TensorData> frozen = new LinkedHashMap<>();
        params.names().stream().filter(params::isFrozen).forEach(n -> frozen.put(n, params.get(n)));
        List<TrainingProgress> history = new ArrayList<>();
        long stepNanos = 0;   // time inside training steps only: no compiling, no validation
        long pairsSeen = 0;
        try (FrozenWeights weights = new FrozenWeights(engine, frozen);
             BradleyTerryTraining training = new BradleyTerryTraining(engine, model, settings.batchSize(), AdamW.defaults(), schedule,
                     name -> ParamGroup.of(settings.weightDecay()), MAX_GRAD_NORM, settings.centeringCoefficient(),
                     encoder.padId(), weights);
             RewardScoring scoring = new RewardScoring(engine, model, encoder.padId(), weights)) {
            Evaluation validation = new Evaluation(data.validation(), encoder);
            double best = Double.NEGATIVE_INFINITY;
            Map<String, TensorData> bestState = null;
            long bestStep = 0;
            int sinceBest = 0;
            double lossSum = 0;
            int lossCount = 0;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) order.add(i);
            run:
            for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
                Collections.shuffle(order, rng);
                for (int s = 0; s < stepsPerEpoch; s++) {
                    List<int[]> c = new ArrayList<>(), r = new ArrayList<>();
                    double[] m = new double[settings.batchSize()];
                    for (int k = 0; k < settings.batchSize(); k++) {
                        // the last batch wraps around, so every step has the same number of pairs
                        int pair = order.get((s * settings.batchSize() + k) % order.size());
                        c.add(chosen.get(pair));
                        r.add(rejected.get(pair));
                        m[k] = margins[pair];
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.util.concurrent.CancellationException("training stopped at step "
                                + training.stepCount() + ": the worker is shutting down");
                    }
                    long before = System.nanoTime();
                    lossSum += training.step(c, r, m);
                    stepNanos += System.nanoTime() - before;
                    lossCount++;
                    pairsSeen += settings.batchSize();
                    boolean epochEnd = s == stepsPerEpoch - 1;
                    if (!validation.isEmpty() && (training.stepCount() % settings.evalEvery() == 0 || epochEnd)) {
                        training.syncParameters();
                        double accuracy = VersionMetrics.accuracy(data.validation(), validation.rewards(scoring));
                        boolean better = accuracy > best;
                        progress(history, progress, new TrainingProgress(training.stepCount(), epoch,
                                lossSum / lossCount, accuracy, better));
                        lossSum = 0;
                        lossCount = 0;
                        if (better) {
                            best = accuracy;
                            bestState = training.state();
                            bestStep = training.stepCount();
                            sinceBest = 0;
                        } else if (++sinceBest >= settings.patience()) {
                            break run;
                        }
                    }
                }
                if (validation.isEmpty()) {
                    progress(history, progress, new TrainingProgress(training.stepCount(), epoch,
                            lossSum / Math.max(1, lossCount), Double.NaN, false));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
            double seconds = stepNanos / 1e9;
            long steps = training.stepCount();
            if (bestState != null) {
                training.restore(bestState, bestStep);
            } else {
                bestStep = steps;
            }
            training.syncParameters();
            Map<UUID, Double> rewards = new LinkedHashMap<>(validation.rewards(scoring));
            rewards.putAll(new Evaluation(data.gold(), encoder).rewards(scoring));
            Map<String, Double> metrics = new LinkedHashMap<>(VersionMetrics.of(data.validation(), data.gold(), rewards));
            metrics.put("train_pairs", (double) data.train().size());
            metrics.put("steps", (double) steps);
            metrics.put("best_step", (double) bestStep);
            metrics.put("pairs_per_second", pairsSeen / seconds);
            if (params.lora() != null) Lora.merge(params);
            params.training(false);
            return new TrainedRewardModel(model, metrics, List.copyOf(history));
        }
    }

    private static void progress(List<TrainingProgress> history, Consumer<TrainingProgress> listener, TrainingProgress p) {
        history.add(p);
        listener.accept(p);
    }

    private int[] encode(TextEncoder encoder, String prompt, String completion) {
        return encoder.encodeTail(PromptFormat.withCompletion(prompt, completion), settings.maxLength());
    }

    /**
     * LoRA: adapters on the attention weights; full: everything; top-layers: the last n blocks and the
     * final norm. The reward head always trains; an untied LM head never does (a reward model has no use for it).
     */
    private void chooseTrainable(Parameters params, int layers, Random rng) {
        switch (settings.trainable()) {
            case LORA -> Lora.attach(params, new LoraConfig(settings.loraRank(), settings.loraAlpha(), 0.0,
                    LoraConfig.attentionWeights()), rng);
            case FULL -> params.unfreeze(n -> true);
            case TOP_LAYERS -> {
                int firstTrained = layers - settings.topLayers();
                params.freeze(n -> true).unfreeze(n -> {
                    Matcher layer = LAYER.matcher(n);
                    if (layer.find()) return Integer.parseInt(layer.group(1)) >= firstTrained;
                    return n.contains("ln_f") || n.equals("model.norm.weight");
                });
            }
        }
        params.unfreeze(RewardModel.SCORE::equals);
        params.freeze(n -> n.equals("lm_head.weight"));
    }

    /** The distinct completions of some pairs, encoded once, scored in batches. */
    private final class Evaluation {
        private final List<UUID> ids = new ArrayList<>();
        private final List<int[]> sequences = new ArrayList<>();

        Evaluation(List<LabelledPair> pairs, TextEncoder encoder) {
            Map<UUID, int[]> distinct = new LinkedHashMap<>();
            for (LabelledPair p : pairs) {
                distinct.computeIfAbsent(p.chosenId(), id -> encode(encoder, p.prompt(), p.chosen()));
                distinct.computeIfAbsent(p.rejectedId(), id -> encode(encoder, p.prompt(), p.rejected()));
            }
            distinct.forEach((id, seq) -> {
                ids.add(id);
                sequences.add(seq);
            });
        }

        boolean isEmpty() {
            return ids.isEmpty();
        }

        Map<UUID, Double> rewards(RewardScoring scoring) {
            if (ids.isEmpty()) return Map.of();
            double[] scores = scoring.score(sequences, settings.scoringBatchSize());
            Map<UUID, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) out.put(ids.get(i), scores[i]);
            return out;
        }
    }
}
