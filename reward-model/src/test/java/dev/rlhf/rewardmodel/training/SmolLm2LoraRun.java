package dev.rlhf.rewardmodel.training;

import dev.rlhf.engine.runtime.Engine;
import dev.rlhf.engine.runtime.RuntimeOptions;
import dev.rlhf.rewardmodel.support.HiddenRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real model through the whole trainer: SmolLM2-135M from its GGUF file (tokenizer from the GGUF
 * vocabulary), LoRA r=16 on the attention weights, one short epoch. Runs only when asked:
 * {@code -Drlhf.smollm2=/path/SmolLM2-135M-Instruct.Q4_1.gguf}; prints pairs/s.
 */
@EnabledIfSystemProperty(named = "rlhf.smollm2", matches = ".+")
class SmolLm2LoraRun {

    @Test
    void trainsLoraOnSmolLm2FromGguf() throws Exception {
        TrainingSettings settings = new TrainingSettings(TrainingSettings.Trainable.LORA, 16, 32, 1, 1e-4, 0.0, 4, 64, 1,
                1000, 5, 0.25, "rlhf", Margins.parse("none=0,1=0,2=0.5,3=1"), 0.0, Set.of(), false, 42, 8);
        TrainingData data = TrainingData.of(HiddenRuleTrainingTest.snapshotOf(HiddenRule.judgments(0, 48, 3)), settings);
        try (StartingPoint start = StartingPoint.load(Path.of(System.getProperty("rlhf.smollm2")))) {
            assertThat(start.encoder().encoding()).isEqualTo("tokenizer.json");
            TrainedRewardModel trained = new RewardModelTrainer(new Engine(RuntimeOptions.defaults()), settings)
                    .train(data, start, p -> System.out.printf("step %d loss %.4f validation accuracy %.3f%n",
                            p.step(), p.trainLoss(), p.validationAccuracy()));
            System.out.println("SmolLM2-135M LoRA r=16 metrics " + trained.metrics());
            assertThat(trained.metrics().get("pairs_per_second")).isPositive();
            assertThat(trained.history()).allSatisfy(p -> assertThat(p.trainLoss()).isFinite());
        }
    }
}
