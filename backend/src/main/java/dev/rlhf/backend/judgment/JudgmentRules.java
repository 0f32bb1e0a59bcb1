package dev.rlhf.backend.judgment;

import dev.rlhf.backend.campaign.JudgmentForm;
import dev.rlhf.backend.error.ProblemException;
import dev.rlhf.backend.queue.Assignment;
import dev.rlhf.backend.task.Outcome;
import dev.rlhf.backend.task.Ranking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a judgment against its task and the campaign's form, and translates it from what the rater
 * saw (display labels) to canonical order. Fields the form does not ask for are refused, not dropped,
 * so a client out of step with the campaign hears about it.
 */
final class JudgmentRules {

    record CanonicalAnswer(Outcome outcome, Integer strength, List<Integer> ranking) {
    }

    private JudgmentRules() {
    }

    static CanonicalAnswer check(JudgmentInput input, JudgmentForm form, Assignment assignment) {
        int completions = assignment.displayOrder.size();
        CanonicalAnswer answer = completions == 2
                ? pairwise(input, form, assignment)
                : ranking(input, assignment, completions);
        checkCriteria(input.criteria(), form);
        if (input.rationale() != null && !input.rationale().isBlank() && !form.askRationale()) {
            throw ProblemException.invalid("rationale", "this campaign does not ask for a rationale");
        }
        if (form.requireRationale() && (input.rationale() == null || input.rationale().isBlank())) {
            throw ProblemException.invalid("rationale", "this campaign requires a rationale");
        }
        if (input.correctedAnswer() != null && !input.correctedAnswer().isBlank() && !form.askCorrection()) {
            throw ProblemException.invalid("correctedAnswer", "this campaign does not ask for a corrected answer");
        }
        return answer;
    }

    private static CanonicalAnswer pairwise(JudgmentInput input, JudgmentForm form, Assignment assignment) {
        if (input.ranking() != null) {
            throw ProblemException.invalid("ranking", "this task compares two completions: send 'choice', not 'ranking'");
        }
        if (input.choice() == null) {
            throw ProblemException.invalid("choice", "required: A, B, TIE or BOTH_BAD");
        }
        boolean prefersOne = input.choice() == Choice.A || input.choice() == Choice.B;
        if (input.strength() != null && (!prefersOne || !form.askStrength())) {
            throw ProblemException.invalid("strength", prefersOne
                    ? "this campaign does not ask for strength" : "strength applies only when A or B is preferred");
        }
        if (prefersOne && form.askStrength() && input.strength() == null) {
            throw ProblemException.invalid("strength", "required: 1 slightly, 2 clearly or 3 much better");
        }
        Outcome outcome = switch (input.choice()) {
            case A -> assignment.canonicalIndex(0) == 0 ? Outcome.A : Outcome.B;
            case B -> assignment.canonicalIndex(1) == 0 ? Outcome.A : Outcome.B;
            case TIE -> Outcome.TIE;
            case BOTH_BAD -> Outcome.BOTH_BAD;
        };
        return new CanonicalAnswer(outcome, input.strength(), null);
    }

    private static CanonicalAnswer ranking(JudgmentInput input, Assignment assignment, int completions) {
        if (input.choice() != null || input.strength() != null) {
            throw ProblemException.invalid("choice", "this task ranks " + completions + " completions: send 'ranking'");
        }
        Map<String, Integer> ranks = input.ranking();
        Set<String> labels = new TreeSet<>();
        for (int position = 0; position < completions; position++) {
            labels.add(Assignment.label(position));
        }
        if (ranks == null || !ranks.keySet().equals(labels)) {
            throw ProblemException.invalid("ranking", "give a rank to each of " + labels + " and nothing else");
        }
        for (Map.Entry<String, Integer> rank : ranks.entrySet()) {
            if (rank.getValue() == null || rank.getValue() < 1 || rank.getValue() > completions) {
                throw ProblemException.invalid("ranking", rank.getKey() + " must have a rank from 1 to " + completions);
            }
        }
        List<Integer> canonical = new ArrayList<>(java.util.Collections.nCopies(completions, 0));
        for (int position = 0; position < completions; position++) {
            canonical.set(assignment.canonicalIndex(position), ranks.get(Assignment.label(position)));
        }
        return new CanonicalAnswer(Outcome.RANKING, null, Ranking.dense(canonical));
    }

    private static void checkCriteria(Map<String, Integer> criteria, JudgmentForm form) {
        Set<String> asked = new HashSet<>(form.criteria());
        Set<String> given = criteria == null ? Set.of() : criteria.keySet();
        if (!given.equals(asked)) {
            throw ProblemException.invalid("criteria", asked.isEmpty()
                    ? "this campaign asks for no criteria"
                    : "score exactly these criteria: " + new TreeSet<>(asked));
        }
        for (Map.Entry<String, Integer> score : given.isEmpty() ? Map.<String, Integer>of().entrySet() : criteria.entrySet()) {
            if (score.getValue() == null || score.getValue() < 1 || score.getValue() > 7) {
                throw ProblemException.invalid("criteria." + score.getKey(), "a score from 1 to 7");
            }
        }
    }
}
