package dev.rlhf.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code ./rlhf up} runs the reward-model worker: its jar, its port, and the base model it trains
 * from (without one it builds the preference dataset from the judgment stream but trains nothing).
 * It shares the platform's PostgreSQL (its own schema) and Kafka, and keeps versions under the data folder.
 */
record RewardModelWorker(Path jar, int port, Optional<Path> baseModel) {

    Process start(Map<String, String> platformEnv, Path dataDir, String java) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx3g", "-jar", jar.toString())).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(platformEnv);
        builder.environment().remove("RLHF_DEMO");
        builder.environment().remove("RLHF_REWARD_MODEL_URL");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("RLHF_REWARD_MODEL_REGISTRY_ROOT", dataDir.resolve("registry").toString());
        baseModel.ifPresent(model -> builder.environment().put("RLHF_REWARD_MODEL_TRAINING_BASE_MODEL", model.toAbsolutePath().toString()));
        return builder.start();
    }
}
