package dev.rlhf.events;

import java.util.Map;

/** The platform's topics, each with what its records are keyed by and its topic configs. */
public enum Topic {

    /** Keyed by comparison task id. The event log of all feedback: kept forever, so a reward model
     *  can be rebuilt from offset zero. */
    JUDGMENTS("rlhf.judgments", Map.of("retention.ms", "-1")),

    /** Keyed by reward model id. Few, small records that say which versions exist: kept forever. */
    REWARD_MODELS("rlhf.reward-models", Map.of("retention.ms", "-1")),

    /** Keyed by completion id. Scores can be recomputed from a published reward model, so the
     *  broker's default retention applies. */
    REWARDS("rlhf.rewards", Map.of()),

    /** Keyed by policy id. The serving side reads the latest version on start: kept forever. */
    POLICIES("rlhf.policies", Map.of("retention.ms", "-1"));

    private final String topicName;
    private final Map<String, String> configs;

    Topic(String topicName, Map<String, String> configs) {
        this.topicName = topicName;
        this.configs = configs;
    }

    /** The Kafka topic name, for example {@code rlhf.judgments}. */
    public String topicName() {
        return topicName;
    }

    /** Topic-level configs to create the topic with. */
    public Map<String, String> configs() {
        return configs;
    }

    public static Topic byName(String topicName) {
        for (Topic topic : values()) {
            if (topic.topicName.equals(topicName)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("not a platform topic: " + topicName);
    }
}
