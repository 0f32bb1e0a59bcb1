package dev.rlhf.backend.export;

import dev.rlhf.backend.account.Pseudonyms;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.judgment.Judgment;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.ModelRef;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.task.ComparisonTask;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Loads judgments as self-contained records, a page at a time in submission order (keyset paging). */
@ApplicationScoped
public class JudgmentRecords {

    /** Where the next page starts: after this judgment. */
    public record Cursor(Instant submittedAt, UUID judgmentId) {
        public static final Cursor START = new Cursor(Instant.EPOCH, new UUID(0, 0));
    }

    private final Pseudonyms pseudonyms;

    JudgmentRecords(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    public List<JudgmentRecord> page(UUID campaignId, Cursor after, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Campaign campaign = Campaign.findById(campaignId);
            List<Judgment> judgments = Judgment.find("""
                            campaignId = ?1 and (submittedAt > ?2 or (submittedAt = ?2 and id > ?3))
                            order by submittedAt, id""", campaignId, after.submittedAt(), after.judgmentId())
                    .page(0, size).list();
            return records(campaign, judgments);
        });
    }

    public List<JudgmentRecord> records(Campaign campaign, List<Judgment> judgments) {
        if (judgments.isEmpty()) {
            return List.of();
        }
        Map<UUID, ComparisonTask> tasks = byId(ComparisonTask.<ComparisonTask>list("id in ?1",
                judgments.stream().map(j -> j.taskId).distinct().toList()), t -> t.id);
        Map<UUID, Prompt> prompts = byId(Prompt.<Prompt>list("id in ?1",
                tasks.values().stream().map(t -> t.promptId).distinct().toList()), p -> p.id);
        Map<UUID, Completion> completions = byId(Completion.<Completion>list("id in ?1",
                tasks.values().stream().flatMap(t -> t.completionIds.stream()).distinct().toList()), c -> c.id);
        return judgments.stream().map(j -> {
            ComparisonTask task = tasks.get(j.taskId);
            Prompt prompt = prompts.get(task.promptId);
            List<JudgmentRecord.CompletionRecord> shown = task.completionIds.stream().map(completions::get)
                    .map(c -> new JudgmentRecord.CompletionRecord(c.id, c.text,
                            new ModelRef(c.modelId, c.modelVersion, c.externalName), c.sampling, c.tokenCount))
                    .toList();
            return new JudgmentRecord(j.id, task.id, campaign.id, campaign.name, j.guidelineVersion,
                    pseudonyms.of(j.raterId), j.gold, task.goldAnswer,
                    new JudgmentRecord.PromptRecord(prompt.messages, prompt.tags, prompt.source), shown,
                    j.outcome, j.strength, j.ranking, j.criteria, j.rationale, j.correctedAnswer, j.flags,
                    j.timeOnTaskMs, j.submittedAt);
        }).toList();
    }

    private static <T> Map<UUID, T> byId(List<T> items, Function<T, UUID> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity()));
    }
}
