package dev.rlhf.events.judgment;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One rater's judgment of one comparison task, with everything a trainer needs and nothing it would
 * have to ask the backend for: the prompt, the completions as shown (in canonical order, whatever
 * order the rater saw them in), the verdict and the context that decides how much to trust it.
 *
 * <p>{@code raterId} is pseudonymous (an HMAC of the user id): trainers can group by rater and
 * compute agreement, but the stream never carries a username.
 */
public record Judgment(
        UUID judgmentId,
        UUID taskId,
        UUID campaignId,
        String campaignName,
        int guidelineVersion,
        String raterId,
        boolean gold,
        Answer goldAnswer,
        Prompt prompt,
        List<Completion> completions,
        Outcome outcome,
        Integer strength,
        List<Integer> ranking,
        Map<String, Integer> criteria,
        String rationale,
        String correctedAnswer,
        List<Flag> flags,
        Long timeOnTaskMs,
        Instant submittedAt) {

    public Judgment {
        Objects.requireNonNull(judgmentId, "judgmentId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(raterId, "raterId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completions, "completions");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (completions.size() < 2) {
            throw new IllegalArgumentException("a judgment compares at least 2 completions, got " + completions.size());
        }
        completions = List.copyOf(completions);
        ranking = ranking == null ? null : List.copyOf(ranking);
        new Answer(outcome, strength, ranking).requireFits(completions.size(), "answer");
        if (gold && goldAnswer == null) {
            throw new IllegalArgumentException("a gold judgment carries its goldAnswer");
        }
        if (goldAnswer != null) {
            goldAnswer.requireFits(completions.size(), "goldAnswer");
        }
        criteria = criteria == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(criteria));
        criteria.forEach((name, score) -> {
            if (score == null || score < 1 || score > 7) {
                throw new IllegalArgumentException("criteria." + name + " must be a score from 1 to 7, got " + score);
            }
        });
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /** The rater's verdict in the shape of {@link #goldAnswer()}. */
    @JsonIgnore
    public Answer answer() {
        return new Answer(outcome, strength, ranking);
    }
}
