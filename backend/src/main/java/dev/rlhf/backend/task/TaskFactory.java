package dev.rlhf.backend.task;

import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Creates comparison tasks: one chosen by hand (N-way, gold), or pairs generated from each prompt's completions. */
@ApplicationScoped
public class TaskFactory {

    public enum Strategy { ALL_PAIRS, RANDOM_PAIRS }

    @Transactional
    public ComparisonTask create(UUID campaignId, List<UUID> completionIds, GoldAnswer gold) {
        Campaigns.find(campaignId);
        if (completionIds.size() < ComparisonTask.MIN_COMPLETIONS || completionIds.size() > ComparisonTask.MAX_COMPLETIONS) {
            throw ProblemException.invalid("completionIds", "a task compares 2 to 6 completions");
        }
        if (new HashSet<>(completionIds).size() != completionIds.size()) {
            throw ProblemException.invalid("completionIds", "a completion appears twice");
        }
        List<Completion> completions = Completion.list("id in ?1", completionIds);
        if (completions.size() != completionIds.size()) {
            throw ProblemException.invalid("completionIds", "unknown completion id");
        }
        Set<UUID> prompts = completions.stream().map(c -> c.promptId).collect(Collectors.toSet());
        if (prompts.size() != 1) {
            throw ProblemException.invalid("completionIds", "all completions of a task must answer the same prompt");
        }
        Prompt prompt = Prompt.findById(prompts.iterator().next());
        if (!prompt.campaignId.equals(campaignId)) {
            throw ProblemException.invalid("completionIds", "the completions belong to another campaign");
        }
        checkGold(gold, completionIds.size());
        return persist(campaignId, prompt.id, completionIds, gold == null ? null : gold.withDenseRanks(), Instant.now());
    }

    private static void checkGold(GoldAnswer gold, int completions) {
        if (gold == null) {
            return;
        }
        if (completions == 2) {
            if (gold.choice() == null || gold.choice() == Outcome.RANKING || gold.ranking() != null) {
                throw ProblemException.invalid("gold", "a pairwise gold answer is a choice: A, B, TIE or BOTH_BAD");
            }
            return;
        }
        List<Integer> ranks = gold.ranking();
        if (ranks == null || ranks.size() != completions || ranks.stream().anyMatch(r -> r == null || r < 1 || r > completions)) {
            throw ProblemException.invalid("gold", "an N-way gold answer is a ranking: one rank 1.." + completions + " per completion");
        }
    }

    /** Pairs from every prompt of the campaign that has at least two completions; returns how many were created. */
    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public int generate(UUID campaignId, Strategy strategy, int pairsPerPrompt, long seed) {
        Campaigns.find(campaignId);
        Random random = new Random(seed);
        Instant now = Instant.now();
        // Three queries for the whole campaign, not three per prompt: campaigns hold tens of thousands.
        List<Prompt> prompts = Prompt.list("campaignId = ?1 order by createdAt, position, id", campaignId);
        Map<UUID, List<UUID>> answers = Completion.<Completion>list(
                        "promptId in (select p.id from Prompt p where p.campaignId = ?1) order by position, id", campaignId)
                .stream().collect(Collectors.groupingBy(c -> c.promptId, Collectors.mapping(c -> c.id, Collectors.toList())));
        Map<UUID, Set<Set<UUID>>> existing = ComparisonTask.<ComparisonTask>list("campaignId", campaignId).stream()
                .collect(Collectors.groupingBy(t -> t.promptId, Collectors.mapping(t -> Set.copyOf(t.completionIds), Collectors.toSet())));
        int created = 0;
        for (Prompt prompt : prompts) {
            List<UUID> ids = answers.getOrDefault(prompt.id, List.of());
            Set<Set<UUID>> taken = existing.getOrDefault(prompt.id, Set.of());
            List<List<UUID>> pairs = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    if (!taken.contains(Set.of(ids.get(i), ids.get(j)))) {
                        pairs.add(List.of(ids.get(i), ids.get(j)));
                    }
                }
            }
            if (strategy == Strategy.RANDOM_PAIRS) {
                java.util.Collections.shuffle(pairs, random);
                pairs = pairs.subList(0, Math.min(pairsPerPrompt, pairs.size()));
            }
            for (List<UUID> pair : pairs) {
                // Which completion is canonical "A" must not depend on import order.
                List<UUID> canonical = random.nextBoolean() ? pair : List.of(pair.get(1), pair.get(0));
                persist(campaignId, prompt.id, canonical, null, now);
                created++;
            }
        }
        return created;
    }

    private static ComparisonTask persist(UUID campaignId, UUID promptId, List<UUID> completionIds, GoldAnswer gold, Instant now) {
        ComparisonTask task = new ComparisonTask();
        task.id = UUID.randomUUID();
        task.campaignId = campaignId;
        task.promptId = promptId;
        task.completionIds = List.copyOf(completionIds);
        task.gold = gold != null;
        task.goldAnswer = gold;
        task.createdAt = now;
        task.persist();
        return task;
    }
}
