package dev.rlhf.backend.export;

import dev.rlhf.backend.account.Pseudonyms;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.judgment.Judgment;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.task.ComparisonTask;
import dev.rlhf.backend.task.GoldAnswer;
import dev.rlhf.backend.task.Ranking;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.events.judgment.ModelRef;
import dev.rlhf.events.judgment.Outcome;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judgments as self-contained records: the {@code rlhf.judgments} event payload of the events module.
 * The same shape goes on the wire, into the full export and to the review list, so a trainer reading
 * any of them reads one format.
 */
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

    /** One page in submission order (keyset paging, so months of judgments stream in constant memory). */
    public List<dev.rlhf.events.judgment.Judgment> page(UUID campaignId, Cursor after, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Campaign campaign = Campaign.findById(campaignId);
            List<Judgment> judgments = Judgment.find("""
                            campaignId = ?1 and (submittedAt > ?2 or (submittedAt = ?2 and id > ?3))
                            order by submittedAt, id""", campaignId, after.submittedAt(), after.judgmentId())
                    .page(0, size).list();
            return records(campaign, judgments);
        });
    }

    public List<dev.rlhf.events.judgment.Judgment> records(Campaign campaign, List<Judgment> judgments) {
        if (judgments.isEmpty()) {
            return List.of();
        }
        Map<UUID, ComparisonTask> tasks = byId(ComparisonTask.<ComparisonTask>list("id in ?1",
                judgments.stream().map(j -> j.taskId).distinct().toList()), t -> t.id);
        Map<UUID, Prompt> prompts = byId(Prompt.<Prompt>list("id in ?1",
                tasks.values().stream().map(t -> t.promptId).distinct().toList()), p -> p.id);
        Map<UUID, Completion> completions = byId(Completion.<Completion>list("id in ?1",
                tasks.values().stream().flatMap(t -> t.completionIds.stream()).distinct().toList()), c -> c.id);
        return judgments.stream().map(j -> record(campaign, j, tasks.get(j.taskId), prompts, completions)).toList();
    }

    /** The record of one judgment whose task, prompt and completions are at hand (the submit path). */
    public dev.rlhf.events.judgment.Judgment record(Campaign campaign, Judgment j, ComparisonTask task,
                                                    Map<UUID, Prompt> prompts, Map<UUID, Completion> completions) {
        Prompt prompt = prompts.get(task.promptId);
        List<dev.rlhf.events.judgment.Completion> shown = task.completionIds.stream().map(completions::get)
                .map(c -> new dev.rlhf.events.judgment.Completion(c.id, c.text,
                        new ModelRef(c.modelId, c.modelVersion, c.externalName), c.sampling, c.tokenCount))
                .toList();
        return new dev.rlhf.events.judgment.Judgment(j.id, task.id, campaign.id, campaign.name, j.guidelineVersion,
                pseudonyms.of(j.raterId), j.gold, answer(task.goldAnswer),
                new dev.rlhf.events.judgment.Prompt(prompt.messages.stream()
                        .map(m -> new Message(m.role(), m.content())).toList(), prompt.tags, prompt.source),
                shown, Outcome.valueOf(j.outcome.name()), j.strength, j.ranking, j.criteria, j.rationale,
                j.correctedAnswer, j.flags.stream().map(f -> Flag.valueOf(f.name())).sorted().toList(),
                j.timeOnTaskMs, j.submittedAt);
    }

    private static Answer answer(GoldAnswer gold) {
        if (gold == null) {
            return null;
        }
        return gold.ranking() != null ? new Answer(Outcome.RANKING, null, Ranking.dense(gold.ranking()))
                : new Answer(Outcome.valueOf(gold.choice().name()), null, null);
    }

    private static <T> Map<UUID, T> byId(List<T> items, Function<T, UUID> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity()));
    }
}
