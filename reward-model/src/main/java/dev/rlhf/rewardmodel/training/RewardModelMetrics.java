package dev.rlhf.rewardmodel.training;

import dev.rlhf.rewardmodel.config.RewardModelConfig;
import dev.rlhf.rewardmodel.registry.VersionMetadata;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The latest version's evaluation as Micrometer gauges ({@code rlhf_reward_model_<metric>}, tagged with
 * the model id; NaN until measured), its number, and how long runs take.
 */
@ApplicationScoped
public class RewardModelMetrics {

    static final List<String> EXPORTED = List.of(VersionMetrics.VALIDATION_ACCURACY, VersionMetrics.GOLD_ACCURACY,
            VersionMetrics.VALIDATION_ECE, VersionMetrics.MAJORITY_AGREEMENT, VersionMetrics.VALIDATION_MARGIN,
            "pairs_per_second");

    private final Map<String, Double> latest = new ConcurrentHashMap<>();
    private final Timer training;

    RewardModelMetrics(MeterRegistry registry, RewardModelConfig config) {
        Tags tags = Tags.of("model_id", config.modelId());
        for (String metric : EXPORTED) {
            Gauge.builder("rlhf.reward_model." + metric, latest, m -> m.getOrDefault(metric, Double.NaN))
                    .tags(tags).description("latest reward model version's " + metric.replace('_', ' '))
                    .register(registry);
        }
        Gauge.builder("rlhf.reward_model.version", latest, m -> m.getOrDefault("version", Double.NaN))
                .tags(tags).description("latest reward model version").register(registry);
        training = Timer.builder("rlhf.reward_model.training").tags(tags)
                .description("time to train and publish a version").register(registry);
    }

    void record(VersionMetadata version) {
        latest.clear();
        latest.putAll(version.metrics());
        latest.put("version", (double) version.version());
    }

    void trainingTook(long nanos) {
        training.record(nanos, TimeUnit.NANOSECONDS);
    }
}
