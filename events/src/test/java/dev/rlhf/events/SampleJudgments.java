package dev.rlhf.events;

import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Completion;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Judgment;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.events.judgment.ModelRef;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.events.judgment.Prompt;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Realistic judgments for tests: every field filled the way the backend fills it. */
public final class SampleJudgments {

    private static final UUID CAMPAIGN = UUID.fromString("6f1c9a52-3d2e-4b8a-9c11-0a1b2c3d4e5f");

    private SampleJudgments() {
    }

    /** The n-th pairwise judgment of a campaign; distinct ids and task ids per n. */
    public static JudgmentRecorded pairwise(int n) {
        Instant submitted = Instant.parse("2026-11-22T10:00:00Z").plusMillis(n * 1000L);
        Map<String, Object> sampling = new LinkedHashMap<>();
        sampling.put("temperature", 0.7);
        sampling.put("top_p", 0.95);
        sampling.put("seed", 1234 + n);
        sampling.put("stop", null);
        Judgment judgment = new Judgment(
                UUID.nameUUIDFromBytes(("judgment-" + n).getBytes()),
                UUID.nameUUIDFromBytes(("task-" + n).getBytes()),
                CAMPAIGN, "helpfulness-nov", 3,
                "hmac-sha256:9f2c" + Integer.toHexString(n % 7),
                n % 10 == 0,
                n % 10 == 0 ? new Answer(Outcome.A, 2, null) : null,
                new Prompt(List.of(
                        new Message("system", "You are a helpful assistant."),
                        new Message("user", "Explain idempotence in one sentence. (#" + n + ")")),
                        List.of("definitions", "short"), "seed-prompts-v2"),
                List.of(
                        new Completion(UUID.nameUUIDFromBytes(("completion-a-" + n).getBytes()),
                                "Doing it twice has the same effect as doing it once.",
                                new ModelRef("policy-main", "7", null), sampling, 12),
                        new Completion(UUID.nameUUIDFromBytes(("completion-b-" + n).getBytes()),
                                "It means something about powers.",
                                new ModelRef(null, null, "gpt2-medium"), Map.of("temperature", 1.0), null)),
                n % 3 == 0 ? Outcome.B : Outcome.A,
                n % 4 + 1 <= 3 ? n % 4 + 1 : null,
                null,
                Map.of("helpfulness", 6, "correctness", 7 - n % 3),
                n % 2 == 0 ? "A is precise; B is vague." : null,
                null,
                n % 50 == 0 ? List.of(Flag.OFF_TOPIC) : List.of(),
                4200L + n,
                submitted);
        return JudgmentRecorded.of(judgment, submitted.plusMillis(3));
    }

    /** A ranking of three completions with a tie for second place and a corrected answer. */
    public static JudgmentRecorded ranking() {
        JudgmentRecorded base = pairwise(1);
        Judgment p = base.payload();
        List<Completion> three = List.of(p.completions().get(0), p.completions().get(1),
                new Completion(UUID.nameUUIDFromBytes("completion-c".getBytes()), "An operation f with f(f(x)) = f(x).",
                        new ModelRef("policy-main", "8", null), Map.of(), 14));
        Judgment ranked = new Judgment(p.judgmentId(), p.taskId(), p.campaignId(), p.campaignName(),
                p.guidelineVersion(), p.raterId(), true, new Answer(Outcome.RANKING, null, List.of(1, 2, 2)),
                p.prompt(), three, Outcome.RANKING, null, List.of(1, 2, 2), Map.of("correctness", 5),
                "C is the textbook definition.", "Applying it again changes nothing: f(f(x)) = f(x).",
                List.of(Flag.UNSAFE, Flag.BROKEN), 9100L, p.submittedAt());
        return new JudgmentRecorded(base.id(), base.type(), base.schemaVersion(), base.occurredAt(), ranked);
    }
}
