package dev.rlhf.backend.judgment;

import java.time.Instant;
import java.util.UUID;

/** What a submit returns; {@code replayed} is true when a retry found the judgment already stored. */
public record JudgmentReceipt(UUID judgmentId, UUID assignmentId, Instant submittedAt, boolean replayed) {

    static JudgmentReceipt of(Judgment j, boolean replayed) {
        return new JudgmentReceipt(j.id, j.assignmentId, j.submittedAt, replayed);
    }
}
