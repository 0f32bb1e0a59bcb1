package dev.rlhf.rewardmodel.cli;

import dev.rlhf.rewardmodel.training.Margins;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Carries a file's per-pair margins into the trainer, which takes a margin per preference strength
 * ({@link Margins}): each distinct non-zero margin becomes a strength 1, 2 or 3, exactly. A file with more
 * than three distinct non-zero margins is refused rather than rounded.
 */
public final class MarginStrengths {

    private final List<Double> values;

    private MarginStrengths(List<Double> values) {
        this.values = values;
    }

    public static MarginStrengths of(List<TrlPair> pairs) {
        TreeSet<Double> distinct = new TreeSet<>();
        pairs.stream().map(TrlPair::margin).filter(Objects::nonNull).filter(m -> m != 0).forEach(distinct::add);
        if (distinct.size() > 3) {
            throw CliFailure.badInput("the data has " + distinct.size() + " distinct non-zero margins " + preview(distinct)
                    + "; the trainer takes at most 3 (one per preference strength): round them or drop \"margin\"");
        }
        return new MarginStrengths(List.copyOf(distinct));
    }

    /** The strength that stands for a margin: null (no margin) for none or zero. */
    public Integer strength(Double margin) {
        if (margin == null || margin == 0) return null;
        int i = values.indexOf(margin);
        if (i < 0) throw new IllegalArgumentException("margin " + margin + " is not one of " + values);
        return i + 1;
    }

    public Margins margins() {
        StringBuilder setting = new StringBuilder("none=0");
        for (int s = 1; s <= 3; s++) {
            double m = s <= values.size() ? values.get(s - 1) : 0;
            setting.append(',').append(s).append('=').append(String.format(Locale.ROOT, "%s", m));
        }
        return Margins.parse(setting.toString());
    }

    private static String preview(TreeSet<Double> distinct) {
        List<Double> some = distinct.stream().limit(5).toList();
        String text = some.toString();
        return distinct.size() > some.size() ? text.substring(0, text.length() - 1) + ", ...]" : text;
    }
}
