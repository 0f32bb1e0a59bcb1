package dev.rlhf.backend.task;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The ranks of an N-way comparison, one per completion in canonical order (1 = best, ties allowed). */
public final class Ranking {

    private Ranking() {
    }

    /**
     * Dense ranks: 1, 3, 3, 4 becomes 1, 2, 2, 3 and 2, 2, 3, 4 becomes 1, 1, 2, 3. Judgments are stored this way, so
     * two rankings that order the completions alike are equal whatever numbers were given.
     */
    public static List<Integer> dense(List<Integer> ranks) {
        List<Integer> distinct = new ArrayList<>(new TreeSet<>(ranks));
        return ranks.stream().map(rank -> distinct.indexOf(rank) + 1).toList();
    }
}
