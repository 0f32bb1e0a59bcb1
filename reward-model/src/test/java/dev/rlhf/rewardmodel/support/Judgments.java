package dev.rlhf.rewardmodel.support;

import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Completion;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Judgment;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.events.judgment.ModelRef;
import dev.rlhf.events.judgment.Outcome;
import dev.rlhf.events.judgment.Prompt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * JudgmentRecorded events built the way the backend builds them (JudgmentRecords.record, then
 * JudgmentRecorded.of at submit): canonical completion order, pseudonymous rater, full prompt.
 */
public final class Judgments {

    private static final UUID CAMPAIGN = UUID.fromString("0c9f2a1e-5b7d-4e3a-8f21-6d4c3b2a1f00");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private Judgments() {
    }

    public static UUID completionId(String text) {
        return UUID.nameUUIDFromBytes(("completion:" + text).getBytes());
    }

    public static Prompt prompt(String userText) {
        return new Prompt(List.of(new Message("user", userText)), List.of("test"), "unit-tests");
    }

    /** A two-way judgment on {@code prompt} between texts a and b. */
    public static JudgmentRecorded pairwise(int n, String prompt, String a, String b, Outcome outcome, Integer strength) {
        return event(n, prompt(prompt), List.of(a, b), outcome, strength, null, false, null, List.of());
    }

    public static JudgmentRecorded gold(int n, String prompt, String a, String b, Outcome raterSaid, Answer expected) {
        return event(n, prompt(prompt), List.of(a, b), raterSaid, raterSaid == Outcome.A || raterSaid == Outcome.B ? 1 : null,
                null, true, expected, List.of());
    }

    public static JudgmentRecorded ranking(int n, String prompt, List<String> texts, List<Integer> ranks) {
        return event(n, prompt(prompt), texts, Outcome.RANKING, null, ranks, false, null, List.of());
    }

    public static JudgmentRecorded flagged(int n, String prompt, String a, String b, Outcome outcome, Flag flag) {
        return event(n, prompt(prompt), List.of(a, b), outcome, null, null, false, null, List.of(flag));
    }

    public static JudgmentRecorded event(int n, Prompt prompt, List<String> texts, Outcome outcome, Integer strength,
                                         List<Integer> ranking, boolean gold, Answer goldAnswer, List<Flag> flags) {
        Instant submitted = T0.plusSeconds(n);
        List<Completion> completions = new ArrayList<>();
        for (String text : texts) {
            completions.add(new Completion(completionId(text), text, new ModelRef("policy-main", "1", null),
                    Map.of("temperature", 0.7), null));
        }
        Judgment judgment = new Judgment(judgmentId(n), UUID.nameUUIDFromBytes(("task:" + n).getBytes()), CAMPAIGN,
                "tests", 1, "hmac-sha256:rater" + (n % 3), gold, goldAnswer, prompt, completions, outcome, strength,
                ranking, Map.of(), null, null, flags, 1500L, submitted);
        return JudgmentRecorded.of(judgment, submitted);
    }

    public static UUID judgmentId(int n) {
        return UUID.nameUUIDFromBytes(("judgment:" + n).getBytes());
    }
}
