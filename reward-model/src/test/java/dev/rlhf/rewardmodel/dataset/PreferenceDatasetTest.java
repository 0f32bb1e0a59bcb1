package dev.rlhf.rewardmodel.dataset;

import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.events.kafka.EventPublisher;
import dev.rlhf.rewardmodel.support.Eventually;
import dev.rlhf.rewardmodel.support.Judgments;
import dev.rlhf.rewardmodel.support.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rlhf.rewardmodel.support.Tables.count;
import static dev.rlhf.rewardmodel.support.Tables.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Judgments published on a real broker end up as the preference dataset in a real PostgreSQL, once each
 * whatever the wire does, and a rebuild from offset zero reproduces exactly the same rows.
 */
@QuarkusTest
class PreferenceDatasetTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void materialisesEveryVerdictOnceAndRebuildsTheSameRowsFromOffsetZero() throws Exception {
        long before = count("SELECT count(*) FROM judgments");
        List<JudgmentRecorded> events = new ArrayList<>();
        events.add(Judgments.pairwise(101, "Name a prime.", "7", "8", Outcome.A, 3));
        events.add(Judgments.pairwise(102, "Name a prime.", "7", "9", Outcome.B, null));   // the same prompt again
        events.add(Judgments.pairwise(103, "Capital of France?", "Paris", "Lyon", Outcome.TIE, null));
        events.add(Judgments.pairwise(104, "Capital of Italy?", "Milan", "Turin", Outcome.BOTH_BAD, null));
        events.add(Judgments.ranking(105, "Sort 3,1,2.", List.of("1,2,3", "3,2,1", "1,3,2"), List.of(1, 3, 2)));
        events.add(Judgments.ranking(106, "Sort 2,1.", List.of("1,2", "2,1", "1, 2"), List.of(1, 3, 1)));
        events.add(Judgments.gold(107, "2+2?", "4", "5", Outcome.B, new Answer(Outcome.A, 3, null)));
        events.add(Judgments.flagged(108, "Say hi.", "hi", "", Outcome.A, Flag.BROKEN));
        try (EventPublisher publisher = new EventPublisher(KafkaResource.broker().bootstrapServers(), Map.of())) {
            for (JudgmentRecorded event : events) {
                publisher.publish(event).get();
            }
            publisher.publish(events.get(0)).get();   // a relay's resend: same event id, same bytes
        }
        Eventually.await("8 judgments materialised", WAIT, () -> count("SELECT count(*) FROM judgments") == before + 8,
                () -> rows("SELECT judgment_id, outcome FROM judgments").toString());

        assertThat(rows("SELECT outcome, count(*) FROM judgments WHERE judgment_id IN " + ids(101, 108)
                + " GROUP BY outcome ORDER BY outcome"))
                .containsExactly("A | 2", "B | 2", "BOTH_BAD | 1", "RANKING | 2", "TIE | 1");
        // 101: 7>8 (strength 3); 102: 9>7 (no strength); 103, 104: none; 105: ranks (1,3,2) -> 3 pairs;
        // 106: ranks (1,3,1) -> 2 pairs (the tie at rank 1 is skipped); 107: rater's 5>4 plus gold 4>5; 108: hi>"".
        assertThat(rows("SELECT c.text, r.text, p.strength, p.kind, p.origin FROM preference_pairs p "
                + "JOIN completions c ON c.completion_id = p.chosen_id JOIN completions r ON r.completion_id = p.rejected_id "
                + "WHERE p.judgment_id IN " + ids(101, 108) + " ORDER BY 1, 2, 5"))
                .containsExactly(
                        "1, 2 | 2,1 | 2 | RANKING | RATER",
                        "1,2 | 2,1 | 2 | RANKING | RATER",
                        "1,2,3 | 1,3,2 | 1 | RANKING | RATER",
                        "1,2,3 | 3,2,1 | 2 | RANKING | RATER",
                        "1,3,2 | 3,2,1 | 1 | RANKING | RATER",
                        "4 | 5 | 3 | PAIRWISE | GOLD_ANSWER",
                        "5 | 4 | 1 | PAIRWISE | RATER",
                        "7 | 8 | 3 | PAIRWISE | RATER",
                        "9 | 7 | null | PAIRWISE | RATER",
                        "hi |  | null | PAIRWISE | RATER");
        assertThat(rows("SELECT count(DISTINCT prompt_id) FROM judgments WHERE judgment_id IN " + ids(101, 102)))
                .containsExactly("1");
        assertThat(rows("SELECT gold, flags FROM judgments WHERE judgment_id IN " + ids(107, 108) + " ORDER BY gold"))
                .containsExactly("f | {BROKEN}", "t | {}");

        given().auth().oauth2("test-token").get("/api/dataset").then().statusCode(200)
                .body("judgments", equalTo((int) (before + 8)))
                .body("judgmentsByOutcome.TIE", equalTo(1));

        List<List<String>> materialised = dump();
        long lastSeq = count("SELECT max(seq) FROM judgments");
        given().auth().oauth2("test-token").post("/api/dataset/rebuild").then().statusCode(202);
        Eventually.await("the rebuild replayed every judgment", WAIT,
                () -> count("SELECT count(*) FROM judgments WHERE seq > " + lastSeq) == before + 8);
        assertThat(dump()).isEqualTo(materialised);
    }

    @Test
    void refusesCallersWithoutTheApiToken() {
        given().get("/api/dataset").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("wrong").get("/api/dataset").then().statusCode(401);
    }

    /** Every materialised row except the arrival number, which a rebuild renumbers. */
    private static List<List<String>> dump() {
        return List.of(
                rows("SELECT event_id, judgment_id, task_id, campaign_id, rater_id, prompt_id, outcome, strength, gold, "
                        + "flags, guideline_version, submitted_at, source_topic, source_partition, source_offset, event "
                        + "FROM judgments ORDER BY event_id"),
                rows("SELECT * FROM preference_pairs ORDER BY judgment_id, origin, chosen_id, rejected_id"),
                rows("SELECT * FROM completions ORDER BY completion_id"),
                rows("SELECT * FROM prompts ORDER BY prompt_id"),
                rows("SELECT * FROM event_positions ORDER BY materialisation, topic, partition_id"));
    }

    private static String ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            ids.add("'" + Judgments.judgmentId(n) + "'");
        }
        return "(" + String.join(", ", ids) + ")";
    }
}
