package dev.rlhf.rewardmodel.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the reward-model worker; environment variables use the upper-case form (RLHF_REWARD_MODEL_MODEL_ID). */
@ConfigMapping(prefix = "rlhf.reward-model")
public interface RewardModelConfig {

    /**
     * Bearer token callers of the HTTP API send ({@code Authorization: Bearer <token>}). When absent, a
     * random token is generated at start and printed once in the log.
     */
    Optional<String> apiToken();

    /** The reward model's id, stable across versions: the key of its RewardModelPublished events. */
    @WithDefault("rm-default")
    String modelId();

    /** Root of the model registry; versions go to {@code <root>/reward-models/<version>/}. */
    @WithDefault("data/registry")
    Path registryRoot();

    Consumer consumer();

    Training training();

    Scoring scoring();

    interface Consumer {
        /** Read rlhf.judgments at start. Off only for tools that work on an existing dataset. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group, also the static member id: one materialisation, one reader. */
        @WithDefault("reward-model")
        String groupId();
    }

    interface Training {
        /**
         * The backbone a new reward model starts from: a folder with {@code config.json} and
         * {@code model.safetensors} (Hugging Face layout) or a {@code .gguf} file. Without it nothing is trained.
         */
        Optional<Path> baseModel();

        /** Retrain on its own when enough new judgments arrived or enough time passed. */
        @WithDefault("true")
        boolean continuous();

        /** Retrain once this many judgments arrived since the last version. */
        @WithDefault("200")
        int retrainAfterJudgments();

        /** ... or once this long passed since the last version, if any judgment arrived meanwhile. */
        @WithDefault("30m")
        Duration retrainAfter();

        /** How often the trigger is checked. */
        @WithDefault("10s")
        Duration checkInterval();

        /** Fewer training pairs than this and no version is trained. */
        @WithDefault("16")
        int minPairs();

        /** Share of prompts held out for validation (the split is by prompt, by hash). */
        @WithDefault("0.1")
        double validationFraction();

        /** Salt of the split hash: change it to draw another split. */
        @WithDefault("rlhf")
        String splitSalt();

        /**
         * Margin of the BT loss per strength: {@code -log σ(r_c - r_r - margin)}. Keys 1, 2, 3 and
         * {@code none} (no strength given). Larger margins ask the model to separate strong preferences more.
         */
        @WithDefault("none=0,1=0,2=0.5,3=1")
        String margins();

        /** Coefficient of the reward-centering term {@code mean((r_c + r_r)^2)}; 0 switches it off. */
        @WithDefault("0")
        double centeringCoefficient();

        /** What trains: {@code lora} (adapters on the attention weights), {@code full}, or {@code top-layers}. */
        @WithDefault("lora")
        String trainable();

        @WithDefault("16")
        int loraRank();

        @WithDefault("32")
        double loraAlpha();

        /** With {@code trainable=top-layers}: how many of the last blocks train (the head always does). */
        @WithDefault("2")
        int topLayers();

        @WithDefault("1e-4")
        double learningRate();

        @WithDefault("0.0")
        double weightDecay();

        @WithDefault("8")
        int batchSize();

        /** Prompt plus completion, in tokens; longer sequences keep their end (the head reads the last token). */
        @WithDefault("256")
        int maxLength();

        @WithDefault("3")
        int maxEpochs();

        /** Validate every this many steps (and at the end of each epoch). */
        @WithDefault("50")
        int evalEvery();

        /** Stop after this many validations without a better accuracy. */
        @WithDefault("3")
        int patience();

        /** Judgments carrying any of these flags are not trained on. */
        @WithDefault("BROKEN")
        List<String> excludeFlags();

        /** Train on the raters' answers to gold tasks too (then gold accuracy is no longer held out). */
        @WithDefault("false")
        boolean includeGold();

        @WithDefault("42")
        long seed();

        /** Start each version from the last one's weights instead of from the base model. */
        @WithName("warm-start")
        @WithDefault("true")
        boolean warmStart();
    }

    interface Scoring {
        /** Completions per ONNX Runtime call. */
        @WithDefault("16")
        int batchSize();
    }
}
