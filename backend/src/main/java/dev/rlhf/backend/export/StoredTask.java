package dev.rlhf.backend.export;

import java.util.UUID;

/**
 * A judgment's task, prompt and completions as the plain-SQL paths (the submit's read, the export) select them, JSON
 * columns as text: enough for {@link JudgmentRecords#record(UUID, String, dev.rlhf.backend.judgment.Judgment,
 * StoredTask)} to build the judgment's record without another query.
 */
public record StoredTask(UUID taskId, UUID promptId, boolean gold, String goldAnswerJson, String completionIdsJson,
                         String messagesJson, String tagsJson, String source, String completionsJson) {

    /**
     * The select-list expression of {@link #completionsJson} in a query over {@code comparison_task t}: the task's
     * completions in canonical order, each looked up by primary key (a scalar sub-query per id). As a join on
     * {@code jsonb_array_elements_text}, PostgreSQL guessed 100 ids per task and scanned the whole completion table.
     */
    public static final String COMPLETIONS = """
            (SELECT json_agg((SELECT json_build_object('id', co.id, 'text', co.text, 'modelId', co.model_id,
                                 'modelVersion', co.model_version, 'externalName', co.external_name,
                                 'sampling', co.sampling, 'tokenCount', co.token_count)
                              FROM completion co WHERE co.id = e.id::uuid) ORDER BY e.ord)
                    FROM jsonb_array_elements_text(t.completion_ids) WITH ORDINALITY AS e(id, ord))""";
}
