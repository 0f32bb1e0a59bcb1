package dev.rlhf.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.events.model.Lineage;
import dev.rlhf.events.model.ModelVersionRef;
import dev.rlhf.events.model.OffsetRange;
import dev.rlhf.events.model.PolicyVersion;
import dev.rlhf.events.model.RewardModelVersion;
import dev.rlhf.events.model.RewardScore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aJudgmentSurvivesTheRoundTripFieldForField() {
        for (JudgmentRecorded event : List.of(SampleJudgments.pairwise(10), SampleJudgments.pairwise(7),
                SampleJudgments.ranking())) {
            assertEquals(event, codec.decode(codec.encode(event)));
        }
    }

    @Test
    void theWireFormatUsesTheDocumentedNamesAndIsoInstants() throws Exception {
        JudgmentRecorded event = SampleJudgments.pairwise(10);
        JsonNode tree = json.readTree(codec.encode(event));

        assertEquals(event.id().toString(), tree.get("id").asText());
        assertEquals("JudgmentRecorded", tree.get("type").asText());
        assertEquals("1.0", tree.get("schemaVersion").asText());
        assertEquals("2026-11-22T10:00:10.003Z", tree.get("occurredAt").asText());
        assertFalse(tree.has("topic") || tree.has("key"), "routing is not part of the event: " + tree);
        JsonNode payload = tree.get("payload");
        assertEquals(event.payload().taskId().toString(), payload.get("taskId").asText());
        assertEquals("user", payload.at("/prompt/messages/1/role").asText());
        assertEquals("7", payload.at("/completions/0/model/modelVersion").asText());
        assertEquals("gpt2-medium", payload.at("/completions/1/model/externalName").asText());
        assertEquals(0.7, payload.at("/completions/0/sampling/temperature").asDouble());
        assertTrue(payload.at("/completions/0/sampling").has("stop"), "a null sampling value is kept");
        assertEquals("A", payload.at("/goldAnswer/outcome").asText());
        assertEquals("2026-11-22T10:00:10Z", payload.get("submittedAt").asText());
        assertEquals(4210, payload.get("timeOnTaskMs").asLong());
    }

    @Test
    void aReaderIgnoresFieldsAddedByANewerMinorVersion() throws Exception {
        JudgmentRecorded event = SampleJudgments.ranking();
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(event));
        tree.put("schemaVersion", "1.7");
        tree.put("traceId", "abc");
        ObjectNode payload = (ObjectNode) tree.get("payload");
        payload.put("raterLocale", "de-CH");
        ((ObjectNode) payload.get("prompt")).putArray("attachments").add("image-1");
        ((ObjectNode) ((ArrayNode) payload.get("completions")).get(0)).put("latencyMs", 812);

        JudgmentRecorded read = codec.decode(json.writeValueAsBytes(tree), JudgmentRecorded.class);

        assertEquals("1.7", read.schemaVersion());
        assertEquals(event.payload(), read.payload());
        assertEquals(event.id(), read.id());
    }

    @Test
    void aReaderRefusesANewerMajorVersionAndSaysWhatToUpgrade() throws Exception {
        ObjectNode tree = (ObjectNode) json.readTree(codec.encode(SampleJudgments.pairwise(1)));
        tree.put("schemaVersion", "2.0");
        // A new major may reshape the payload: the version must be reported, not the binding error.
        ((ObjectNode) tree.get("payload")).put("completions", "now-an-object-reference");

        UnsupportedSchemaVersionException refused = assertThrows(UnsupportedSchemaVersionException.class,
                () -> codec.decode(json.writeValueAsBytes(tree)));

        assertTrue(refused.getMessage().contains("schemaVersion 2.0"), refused.getMessage());
        assertTrue(refused.getMessage().contains("upgrade rlhf-events"), refused.getMessage());
    }

    @Test
    void unknownTypesAndBrokenPayloadsAreReportedAsMalformed() throws Exception {
        ObjectNode unknownType = (ObjectNode) json.readTree(codec.encode(SampleJudgments.pairwise(1)));
        unknownType.put("type", "JudgmentRetracted");
        MalformedEventException unknown = assertThrows(MalformedEventException.class,
                () -> codec.decode(json.writeValueAsBytes(unknownType)));
        assertTrue(unknown.getMessage().contains("JudgmentRetracted"), unknown.getMessage());

        ObjectNode badStrength = (ObjectNode) json.readTree(codec.encode(SampleJudgments.pairwise(1)));
        ((ObjectNode) badStrength.get("payload")).put("strength", 5);
        MalformedEventException invalid = assertThrows(MalformedEventException.class,
                () -> codec.decode(json.writeValueAsBytes(badStrength)));
        assertTrue(invalid.getMessage().contains("strength"), invalid.getMessage());

        assertThrows(MalformedEventException.class, () -> codec.decode("not json".getBytes()));
        assertThrows(MalformedEventException.class, () -> codec.decode((byte[]) null));
    }

    @Test
    void modelEventsRoundTripAndAreKeyedByTheirIds() {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        Lineage lineage = new Lineage(
                List.of(new OffsetRange(Topic.JUDGMENTS.topicName(), 0, 0, 1200),
                        new OffsetRange(Topic.JUDGMENTS.topicName(), 1, 0, 1187)),
                2301, "registry://base/gpt2/1", null, Map.of("learningRate", 1e-5, "epochs", 2));
        RewardModelPublished rewardModel = RewardModelPublished.of(new RewardModelVersion("rm-helpfulness", 4,
                "/data/registry/reward-models/4", lineage, Map.of("accuracy", 0.71, "margin", 0.42)), now);
        PolicyPublished policy = PolicyPublished.of(new PolicyVersion("policy-main", 8, "/data/registry/policies/8",
                "DPO", new Lineage(List.of(), 2301, "registry://policies/7", new ModelVersionRef("rm-helpfulness", 4),
                Map.of("beta", 0.1)), Map.of("winRate", 0.58)), now);
        UUID completion = UUID.randomUUID();
        RewardScored score = RewardScored.of(new RewardScore(completion, new ModelVersionRef("rm-helpfulness", 4),
                -0.375), now);

        for (RlhfEvent event : List.<RlhfEvent>of(rewardModel, policy, score)) {
            assertEquals(event, codec.decode(codec.encode(event)));
        }
        assertEquals("rm-helpfulness", rewardModel.key());
        assertEquals(Topic.REWARD_MODELS, rewardModel.topic());
        assertEquals("policy-main", policy.key());
        assertEquals("rlhf.policies", policy.topic().topicName());
        assertEquals(completion.toString(), score.key());
        assertEquals("rlhf.rewards", score.topic().topicName());
        assertEquals(2387, lineage.judgments().stream().mapToLong(OffsetRange::count).sum());
    }

    @Test
    void judgmentsAreKeyedByTaskOnTheJudgmentsTopicKeptForever() {
        JudgmentRecorded event = SampleJudgments.pairwise(3);
        assertEquals(event.payload().taskId().toString(), event.key());
        assertEquals("rlhf.judgments", event.topic().topicName());
        assertEquals("-1", Topic.JUDGMENTS.configs().get("retention.ms"));
    }

    @Test
    void theRatersAnswerHasTheGoldAnswersShape() {
        JudgmentRecorded gold = SampleJudgments.pairwise(10);
        assertEquals(new Answer(Outcome.A, 3, null), gold.payload().answer());
        assertEquals(new Answer(Outcome.A, 2, null), gold.payload().goldAnswer());
        assertNull(SampleJudgments.pairwise(11).payload().goldAnswer());
    }

    @Test
    void inconsistentVerdictsCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Answer(Outcome.RANKING, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Answer(Outcome.TIE, 2, null));
        assertThrows(IllegalArgumentException.class, () -> new Answer(Outcome.A, 4, null));
        IllegalArgumentException tooFewRanks = assertThrows(IllegalArgumentException.class,
                () -> rankingOfThreeWith(List.of(1, 2)));
        assertTrue(tooFewRanks.getMessage().contains("2 ranks for 3 completions"), tooFewRanks.getMessage());
    }

    private static void rankingOfThreeWith(List<Integer> ranks) {
        var p = SampleJudgments.ranking().payload();
        new dev.rlhf.events.judgment.Judgment(p.judgmentId(), p.taskId(), p.campaignId(), p.campaignName(),
                p.guidelineVersion(), p.raterId(), false, null, p.prompt(), p.completions(), Outcome.RANKING, null,
                ranks, p.criteria(), null, null, List.of(), null, p.submittedAt());
    }
}
