package dev.rlhf.backend.task;

import java.util.List;
import java.util.UUID;

/** A task as the research console lists it (raters see {@code RaterTask} instead, without gold). */
public record TaskView(UUID id, UUID promptId, List<UUID> completionIds, GoldAnswer gold, int judgments,
                       Float modelCertainty, Integer certaintyVersion) {

    public static TaskView of(ComparisonTask t) {
        return new TaskView(t.id, t.promptId, t.completionIds, t.goldAnswer, t.judgmentCount, t.modelCertainty,
                t.certaintyVersion);
    }
}
