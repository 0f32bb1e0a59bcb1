package dev.rlhf.rewardmodel.e2e;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.RewardModelPublished;
import dev.rlhf.events.RewardScored;
import dev.rlhf.events.Topic;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.events.model.OffsetRange;
import dev.rlhf.rewardmodel.support.Eventually;
import dev.rlhf.rewardmodel.support.HiddenRule;
import dev.rlhf.rewardmodel.support.Judgments;
import dev.rlhf.rewardmodel.support.KafkaResource;
import dev.rlhf.rewardmodel.support.TrainingProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on a real broker and database: judgments published exactly as the backend's outbox relay
 * publishes them (the encoded bytes under the task id key) become reward-model version 1 by the
 * continuous trigger; its lineage lists exactly those judgments; it is announced on rlhf.reward-models,
 * scores completions by the hidden rule, publishes RewardScored events, ranks candidate pairs by
 * certainty; a second version warm-starts from the first.
 */
@QuarkusTest
@TestProfile(TrainingProfile.class)
class JudgmentsToVersionTest {

    private static final Duration TRAINING = Duration.ofMinutes(8);
    private final EventCodec codec = new EventCodec();

    @Test
    void judgmentsFromKafkaBecomeAPublishedVersionWhoseLineageListsExactlyThem() throws Exception {
        List<JudgmentRecorded> events = new ArrayList<>(HiddenRule.judgments(1000, TrainingProfile.RETRAIN_AFTER - 4, 11));
        events.add(Judgments.pairwise(5001, "Capital of France?", "Paris", "Lyon", Outcome.TIE, null));
        events.add(Judgments.pairwise(5002, "Capital of Italy?", "Milan", "Turin", Outcome.BOTH_BAD, null));
        events.add(Judgments.gold(5003, "question 5003 123456", "qfx 4 udgl bnm", "qfx udgl bnmo", Outcome.A,
                new Answer(Outcome.A, 3, null)));
        events.add(Judgments.flagged(5004, "Say hi.", "hi 1", "", Outcome.A, Flag.BROKEN));
        publishAsTheBackendOutboxDoes(events);

        JsonPath v1 = awaitVersion(1);
        List<String> seen = v1.getList("judgmentIds");
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                events.stream().map(e -> e.payload().judgmentId().toString()).toList());
        // used: the hidden-rule judgments; not the tie, both-bad, gold (held out) or BROKEN-flagged one
        assertThat(v1.getLong("lineage.judgmentCount")).isEqualTo(TrainingProfile.RETRAIN_AFTER - 4);
        assertThat(v1.getList("lineage.judgments", Map.class).stream()
                .mapToLong(r -> ((Number) r.get("toOffset")).longValue() - ((Number) r.get("fromOffset")).longValue()).sum())
                .isEqualTo(events.size());
        assertThat(v1.getDouble("metrics.validation_accuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat(v1.getDouble("metrics.gold_accuracy")).isEqualTo(1.0);   // the known answer prefers the completion with the digit
        assertThat(v1.getMap("metrics")).containsKeys("validation_ece", "majority_agreement");
        assertThat(v1.getString("lineage.hyperparameters.trainable")).isEqualTo("full");
        Path folder = TrainingProfile.root().resolve("registry/reward-models/1");
        assertThat(folder.resolve("reward_model.onnx")).exists();
        assertThat(folder.resolve("model.safetensors")).exists();
        assertThat(folder.resolve("config.json")).exists();
        try (var files = Files.list(folder.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("1");   // no temp folder left
        }

        RewardModelPublished announced = awaitOne(Topic.REWARD_MODELS, RewardModelPublished.class,
                e -> e.payload().version() == 1);
        assertThat(announced.payload().modelId()).isEqualTo("rm-e2e");
        assertThat(announced.payload().registryPath()).isEqualTo(folder.toString());
        assertThat(announced.payload().lineage().judgments().stream().mapToLong(OffsetRange::count).sum())
                .isEqualTo(events.size());

        java.util.Random rng = new java.util.Random(99);   // texts drawn like the training set's
        String plain = HiddenRule.words(rng), digit = HiddenRule.insertDigit(HiddenRule.words(rng), rng);
        UUID withDigit = UUID.randomUUID(), without = UUID.randomUUID();
        JsonPath scored = given().auth().oauth2("test-token").contentType(ContentType.JSON).body(Map.of(
                        "version", 1, "publish", true, "items", List.of(
                                item(withDigit, "question 7001 424242", digit),
                                item(without, "question 7001 424242", plain))))
                .post("/api/score").then().statusCode(200).extract().jsonPath();
        assertThat(scored.getDouble("scores[0].score")).isGreaterThan(scored.getDouble("scores[1].score"));
        RewardScored score = awaitOne(Topic.REWARDS, RewardScored.class, e -> e.payload().completionId().equals(withDigit));
        assertThat(score.payload().score()).isEqualTo(scored.getDouble("scores[0].score"), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(score.payload().rewardModel().version()).isEqualTo(1);

        JsonPath certainty = given().auth().oauth2("test-token").contentType(ContentType.JSON).body(Map.of("pairs", List.of(
                        pair("clear", digit, plain), pair("unclear", HiddenRule.words(rng), HiddenRule.words(rng)))))
                .post("/api/active-learning").then().statusCode(200).extract().jsonPath();
        assertThat(certainty.getList("pairs.pairId")).containsExactly("unclear", "clear");
        assertThat(certainty.getDouble("pairs[1].probabilityA")).isGreaterThan(0.9);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("rlhf_reward_model_validation_accuracy{model_id=\"rm-e2e\"}");

        List<JudgmentRecorded> more = HiddenRule.judgments(3000, 40, 12);
        publishAsTheBackendOutboxDoes(more);
        Eventually.await("40 more judgments materialised", Duration.ofSeconds(60), () -> given().auth().oauth2("test-token")
                .get("/api/dataset").then().extract().jsonPath().getInt("judgments") == events.size() + more.size());
        given().auth().oauth2("test-token").post("/api/versions").then().statusCode(202);
        given().auth().oauth2("test-token").post("/api/versions").then().statusCode(409);   // one run at a time
        JsonPath v2 = awaitVersion(2);
        assertThat(v2.getInt("warmStartedFrom")).isEqualTo(1);
        assertThat(v2.getList("judgmentIds")).hasSize(events.size() + more.size());
        assertThat(given().auth().oauth2("test-token").get("/api/versions").then().statusCode(200).extract()
                .jsonPath().getList("version")).containsExactly(1, 2);
    }

    /** What OutboxRelay does with a stored row: the encoded bytes, under the event's topic and key. */
    private void publishAsTheBackendOutboxDoes(List<JudgmentRecorded> events) throws Exception {
        try (EventPublisher publisher = new EventPublisher(KafkaResource.broker().bootstrapServers(), Map.of())) {
            List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
            for (JudgmentRecorded event : events) {
                sent.add(publisher.publishEncoded(event.topic(), event.key(), codec.encode(event)));
            }
            for (var s : sent) s.get();
        }
    }

    private static JsonPath awaitVersion(int version) {
        Eventually.await("reward model version " + version, TRAINING, () -> given().auth().oauth2("test-token")
                .get("/api/versions/" + version).statusCode() == 200);
        return given().auth().oauth2("test-token").get("/api/versions/" + version).then().extract().jsonPath();
    }

    private <E extends dev.rlhf.events.RlhfEvent> E awaitOne(Topic topic, Class<E> type, java.util.function.Predicate<E> which) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    E event = codec.decode(record.value(), type);
                    if (which.test(event)) {
                        assertThat(record.key()).isEqualTo(event.key());
                        return event;
                    }
                }
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " on " + topic.topicName());
    }

    private static Map<String, Object> item(UUID id, String prompt, String completion) {
        return Map.of("completionId", id.toString(), "prompt", List.of(Map.of("role", "user", "content", prompt)),
                "completion", completion);
    }

    private static Map<String, Object> pair(String id, String a, String b) {
        return Map.of("pairId", id, "prompt", List.of(Map.of("role", "user", "content", "question 7002 135791")),
                "a", Map.of("text", a), "b", Map.of("text", b));
    }
}
