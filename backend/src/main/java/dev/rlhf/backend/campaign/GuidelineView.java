package dev.rlhf.backend.campaign;

import java.time.Instant;

public record GuidelineView(int version, String markdown, Instant createdAt) {

    public static GuidelineView of(Guideline g) {
        return new GuidelineView(g.version, g.markdown, g.createdAt);
    }
}
