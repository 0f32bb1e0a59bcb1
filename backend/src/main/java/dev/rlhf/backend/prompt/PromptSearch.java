package dev.rlhf.backend.prompt;

import java.util.List;
import java.util.UUID;

/** Finds a campaign's prompts whose messages contain a text, case-insensitively, in import order. */
public final class PromptSearch {

    private PromptSearch() {
    }

    @SuppressWarnings("unchecked")
    public static List<Prompt> find(UUID campaignId, String text, int page, int size) {
        return Prompt.getEntityManager().createNativeQuery("""
                        SELECT * FROM prompt p
                        WHERE p.campaign_id = :campaign
                          AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.messages) m
                                      WHERE m ->> 'content' ILIKE :pattern ESCAPE '\\')
                        ORDER BY p.created_at, p.position, p.id
                        LIMIT :size OFFSET :offset""", Prompt.class)
                .setParameter("campaign", campaignId)
                .setParameter("pattern", "%" + escapeLike(text) + "%")
                .setParameter("size", size)
                .setParameter("offset", (long) page * size)
                .getResultList();
    }

    /** The text as a literal inside a LIKE pattern: its own %, _ and \ match themselves. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
