package dev.rlhf.backend.export;

import dev.rlhf.events.judgment.Completion;
import dev.rlhf.events.judgment.Judgment;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.events.judgment.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns judgments into TRL preference rows ({@code prompt}, {@code chosen}, {@code rejected}, {@code margin}).
 * Standard form uses strings; conversational form uses message lists, as TRL's preference datasets do.
 * Ties, both-bad verdicts and the pairs a ranking ranks equal carry no preference and are left out; the export
 * counts them (and the rows) in {@link ExportSnapshot}'s query, which follows the same rule.
 */
public final class TrlPreferences {

    private TrlPreferences() {
    }

    /** The rows one judgment yields: one for a pairwise preference, every strictly ordered pair for a ranking. */
    public static List<Map<String, Object>> rows(Judgment record, boolean conversational) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Completion> c = record.completions();
        if (record.outcome() == Outcome.A || record.outcome() == Outcome.B) {
            int chosen = record.outcome() == Outcome.A ? 0 : 1;
            double margin = record.strength() == null ? 0.0 : record.strength();
            rows.add(row(record, c.get(chosen).text(), c.get(1 - chosen).text(), margin, conversational));
        } else if (record.outcome() == Outcome.RANKING) {
            List<Integer> ranks = record.ranking();
            for (int i = 0; i < ranks.size(); i++) {
                for (int j = 0; j < ranks.size(); j++) {
                    if (ranks.get(i) < ranks.get(j)) {
                        rows.add(row(record, c.get(i).text(), c.get(j).text(), ranks.get(j) - ranks.get(i), conversational));
                    }
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> row(Judgment record, String chosen, String rejected, double margin,
                                           boolean conversational) {
        Map<String, Object> row = new LinkedHashMap<>();
        List<Message> messages = record.prompt().messages();
        if (conversational) {
            row.put("prompt", messages);
            row.put("chosen", List.of(new Message("assistant", chosen)));
            row.put("rejected", List.of(new Message("assistant", rejected)));
        } else {
            row.put("prompt", messages.get(messages.size() - 1).content());
            row.put("chosen", chosen);
            row.put("rejected", rejected);
        }
        row.put("margin", margin);
        return row;
    }
}
