package dev.rlhf.rewardmodel.support;

import dev.rlhf.events.JudgmentRecorded;
import dev.rlhf.events.judgment.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic preference set with a hidden rule: raters prefer the completion that contains a digit.
 * Completions are random lower-case words; the digit sits anywhere in the preferred one, so the rule is
 * not readable off the last token alone. Each judgment has its own prompt.
 */
public final class HiddenRule {

    private HiddenRule() {
    }

    public static List<JudgmentRecorded> judgments(int firstN, int count, long seed) {
        Random rng = new Random(seed);
        List<JudgmentRecorded> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = firstN + i;
            String plain = words(rng);
            String withDigit = insertDigit(words(rng), rng);
            boolean digitFirst = rng.nextBoolean();
            events.add(Judgments.pairwise(n, "question " + n + " " + rng.nextInt(1_000_000),
                    digitFirst ? withDigit : plain, digitFirst ? plain : withDigit,
                    digitFirst ? Outcome.A : Outcome.B, 1 + rng.nextInt(3)));
        }
        return events;
    }

    public static String words(Random rng) {
        StringBuilder s = new StringBuilder();
        int length = 8 + rng.nextInt(10);
        while (s.length() < length) {
            if (!s.isEmpty()) s.append(' ');
            int word = 2 + rng.nextInt(5);
            for (int k = 0; k < word; k++) s.append((char) ('a' + rng.nextInt(26)));
        }
        return s.toString();
    }

    public static String insertDigit(String text, Random rng) {
        int at = rng.nextInt(text.length() + 1);
        return text.substring(0, at) + (char) ('0' + rng.nextInt(10)) + text.substring(at);
    }
}
