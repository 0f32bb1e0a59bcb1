package dev.rlhf.backend.stats;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.task.GoldAnswer;
import dev.rlhf.backend.task.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Computes a campaign's statistics from its judgments. The label compared for agreement is the canonical
 * outcome (A, B, TIE, BOTH_BAD) or, for N-way tasks, the whole canonical ranking.
 */
@ApplicationScoped
public class CampaignStatistics {

    private record Row(UUID taskId, UUID raterId, String username, String label, boolean gold, boolean goldCorrect) {
    }

    private static final TypeReference<List<Integer>> RANKING = new TypeReference<>() { };

    private final EntityManager em;
    private final ObjectMapper json;

    CampaignStatistics(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional
    public CampaignStats compute(UUID campaignId) {
        Campaigns.find(campaignId);
        List<Row> rows = load(campaignId);
        long flagged = ((Number) em.createNativeQuery(
                        "SELECT count(*) FROM judgment WHERE campaign_id = :c AND jsonb_array_length(flags) > 0")
                .setParameter("c", campaignId).getSingleResult()).longValue();
        return new CampaignStats(rows.size(), flagged, perRater(rows), pairwiseKappa(rows), alpha(rows),
                throughput(campaignId));
    }

    private List<Row> load(UUID campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> raw = em.createNativeQuery("""
                        SELECT j.task_id, j.rater_id, a.username, j.outcome, CAST(j.ranking AS text),
                               j.gold, CAST(t.gold_answer AS text)
                        FROM judgment j JOIN account a ON a.id = j.rater_id JOIN comparison_task t ON t.id = j.task_id
                        WHERE j.campaign_id = :c ORDER BY j.submitted_at, j.id""")
                .setParameter("c", campaignId).getResultList();
        List<Row> rows = new ArrayList<>(raw.size());
        for (Object[] r : raw) {
            Outcome outcome = Outcome.valueOf((String) r[3]);
            List<Integer> ranking = read((String) r[4], RANKING);
            boolean gold = (Boolean) r[5];
            GoldAnswer answer = gold ? read((String) r[6], new TypeReference<GoldAnswer>() { }) : null;
            String label = outcome == Outcome.RANKING ? String.valueOf(ranking) : outcome.name();
            rows.add(new Row((UUID) r[0], (UUID) r[1], (String) r[2], label, gold,
                    answer != null && answer.matches(outcome, ranking)));
        }
        return rows;
    }

    private <T> T read(String text, TypeReference<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static List<CampaignStats.RaterStats> perRater(List<Row> rows) {
        Map<UUID, List<Row>> byRater = new LinkedHashMap<>();
        rows.forEach(r -> byRater.computeIfAbsent(r.raterId, k -> new ArrayList<>()).add(r));
        List<CampaignStats.RaterStats> result = new ArrayList<>();
        byRater.forEach((rater, list) -> {
            long goldJudged = list.stream().filter(Row::gold).count();
            long goldCorrect = list.stream().filter(Row::goldCorrect).count();
            result.add(new CampaignStats.RaterStats(rater, list.get(0).username, list.size(), goldJudged, goldCorrect,
                    goldJudged == 0 ? null : (double) goldCorrect / goldJudged));
        });
        result.sort(java.util.Comparator.comparing(CampaignStats.RaterStats::username));
        return result;
    }

    /** Gold items are left out of agreement: they measure raters against the answer, not each other. */
    private static Map<UUID, Map<String, String>> labelsByTask(List<Row> rows) {
        Map<UUID, Map<String, String>> byTask = new LinkedHashMap<>();
        rows.stream().filter(r -> !r.gold)
                .forEach(r -> byTask.computeIfAbsent(r.taskId, k -> new TreeMap<>()).put(r.username, r.label));
        return byTask;
    }

    private static List<CampaignStats.PairKappa> pairwiseKappa(List<Row> rows) {
        Map<UUID, Map<String, String>> byTask = labelsByTask(rows);
        Map<List<String>, List<String[]>> shared = new TreeMap<>(java.util.Comparator
                .comparing((List<String> p) -> p.get(0)).thenComparing(p -> p.get(1)));
        for (Map<String, String> labels : byTask.values()) {
            List<String> raters = new ArrayList<>(labels.keySet());
            for (int i = 0; i < raters.size(); i++) {
                for (int j = i + 1; j < raters.size(); j++) {
                    shared.computeIfAbsent(List.of(raters.get(i), raters.get(j)), k -> new ArrayList<>())
                            .add(new String[]{labels.get(raters.get(i)), labels.get(raters.get(j))});
                }
            }
        }
        List<CampaignStats.PairKappa> result = new ArrayList<>();
        shared.forEach((pair, labels) -> {
            OptionalDouble kappa = Agreement.cohensKappa(labels.stream().map(l -> l[0]).toList(),
                    labels.stream().map(l -> l[1]).toList());
            result.add(new CampaignStats.PairKappa(pair.get(0), pair.get(1), labels.size(),
                    kappa.isPresent() ? kappa.getAsDouble() : null));
        });
        return result;
    }

    private static Double alpha(List<Row> rows) {
        List<List<String>> units = labelsByTask(rows).values().stream().map(m -> List.copyOf(m.values())).toList();
        OptionalDouble alpha = Agreement.krippendorffAlpha(units);
        return alpha.isPresent() ? alpha.getAsDouble() : null;
    }

    private List<CampaignStats.HourCount> throughput(UUID campaignId) {
        @SuppressWarnings("unchecked")
        List<Object[]> raw = em.createNativeQuery("""
                        SELECT date_trunc('hour', submitted_at), count(*) FROM judgment
                        WHERE campaign_id = :c GROUP BY 1 ORDER BY 1""")
                .setParameter("c", campaignId).getResultList();
        List<CampaignStats.HourCount> result = new ArrayList<>();
        for (Object[] r : raw) {
            Instant hour = r[0] instanceof java.time.OffsetDateTime o ? o.toInstant()
                    : r[0] instanceof java.sql.Timestamp t ? t.toInstant() : (Instant) r[0];
            result.add(new CampaignStats.HourCount(hour, ((Number) r[1]).longValue()));
        }
        return result;
    }
}
