package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.Topic;
import dev.rlhf.events.consume.MaterialisingConsumer;
import dev.rlhf.rewardmodel.config.KafkaSettings;
import dev.rlhf.rewardmodel.config.RewardModelConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Reads {@code rlhf.judgments} into the {@link PreferenceDataset} for as long as the worker runs, from
 * the positions stored with the data (offset zero on a fresh database).
 */
@ApplicationScoped
public class JudgmentStream {

    private static final Logger LOG = Logger.getLogger(JudgmentStream.class);

    private final AgroalDataSource dataSource;
    private final KafkaSettings kafka;
    private final RewardModelConfig config;
    private volatile MaterialisingConsumer<JudgmentRecorded> consumer;

    JudgmentStream(AgroalDataSource dataSource, KafkaSettings kafka, RewardModelConfig config) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.consumer().enabled()) {
            LOG.info("judgment consumer disabled (rlhf.reward-model.consumer.enabled=false)");
            return;
        }
        if (kafka.bootstrapServers().isEmpty()) {
            LOG.warn("kafka.bootstrap.servers is not set: no judgments are read");
            return;
        }
        consumer = new MaterialisingConsumer<>(kafka.bootstrapServers().get(), config.consumer().groupId(),
                Topic.JUDGMENTS, JudgmentRecorded.class, new PreferenceDataset(dataSource));
        consumer.start();
        LOG.infof("reading %s into the preference dataset (group %s)", Topic.JUDGMENTS.topicName(),
                config.consumer().groupId());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Clears the dataset and reads the topic again from offset zero. */
    public void rebuild() {
        requireConsumer().rebuild();
    }

    public boolean isRunning() {
        return consumer != null && consumer.isRunning();
    }

    /** Why reading stopped, if it did. */
    public Optional<Throwable> failure() {
        return consumer == null ? Optional.empty() : consumer.failure();
    }

    public boolean isConfigured() {
        return consumer != null;
    }

    private MaterialisingConsumer<JudgmentRecorded> requireConsumer() {
        if (consumer == null) {
            throw new IllegalStateException("the judgment consumer is not running: set kafka.bootstrap.servers "
                    + "and rlhf.reward-model.consumer.enabled=true");
        }
        return consumer;
    }
}
