package dev.rlhf.backend.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rlhf.backend.account.Pseudonyms;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.judgment.Judgment;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.task.ComparisonTask;
import dev.rlhf.backend.task.GoldAnswer;
import dev.rlhf.backend.task.JsonColumns;
import dev.rlhf.backend.task.Ranking;
import dev.rlhf.events.judgment.Answer;
import dev.rlhf.events.judgment.Flag;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.events.judgment.ModelRef;
import dev.rlhf.events.judgment.Outcome;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
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

    private final Pseudonyms pseudonyms;
    private final JsonColumns columns;
    private final ObjectReader storedCompletions;
    private final ObjectReader goldAnswer;

    JudgmentRecords(Pseudonyms pseudonyms, JsonColumns columns, ObjectMapper json) {
        this.pseudonyms = pseudonyms;
        this.columns = columns;
        this.storedCompletions = json.readerFor(new TypeReference<List<StoredCompletion>>() { });
        this.goldAnswer = json.readerFor(GoldAnswer.class);
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

    /** The record of one judgment whose task, prompt and completions are at hand. */
    private dev.rlhf.events.judgment.Judgment record(Campaign campaign, Judgment j, ComparisonTask task,
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

    /** The record of a judgment from its task's stored columns (the submit's read, the export's rows): no queries. */
    public dev.rlhf.events.judgment.Judgment record(UUID campaignId, String campaignName, Judgment judgment, StoredTask stored)
            throws JsonProcessingException {
        Campaign campaign = new Campaign();
        campaign.id = campaignId;
        campaign.name = campaignName;
        ComparisonTask task = new ComparisonTask();
        task.id = stored.taskId();
        task.promptId = stored.promptId();
        task.gold = stored.gold();
        task.completionIds = columns.uuids().readValue(stored.completionIdsJson());
        task.goldAnswer = stored.goldAnswerJson() == null ? null : goldAnswer.readValue(stored.goldAnswerJson());
        Prompt prompt = new Prompt();
        prompt.id = stored.promptId();
        prompt.messages = columns.messages().readValue(stored.messagesJson());
        prompt.tags = columns.strings().readValue(stored.tagsJson());
        prompt.source = stored.source();
        Map<UUID, Completion> completions = new HashMap<>();
        for (StoredCompletion given : storedCompletions.<List<StoredCompletion>>readValue(stored.completionsJson())) {
            Completion completion = new Completion();
            completion.id = given.id();
            completion.text = given.text();
            completion.modelId = given.modelId();
            completion.modelVersion = given.modelVersion();
            completion.externalName = given.externalName();
            completion.sampling = given.sampling();
            completion.tokenCount = given.tokenCount();
            completions.put(completion.id, completion);
        }
        return record(campaign, judgment, task, Map.of(prompt.id, prompt), completions);
    }

    /** A completion as {@link StoredTask#COMPLETIONS} spells it. */
    record StoredCompletion(UUID id, String text, String modelId, String modelVersion, String externalName,
                            Map<String, Object> sampling, Integer tokenCount) {
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
