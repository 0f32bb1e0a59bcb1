package dev.rlhf.engine.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BPE merges recovered from a SentencePiece vocabulary's scores, as transformers'
 * {@code generate_merges} does for GGUF files that carry no merges: every split of a token into
 * two vocabulary pieces is a merge ranked by the token's score (higher first), ties broken by the
 * pieces' lengths (longer first), then by file order. Lengths and splits count code points, as
 * Python's strings do.
 */
final class SentencePieceMerges {
    private SentencePieceMerges() {
    }

    private record Merge(String left, String right, double score) {
    }

    static List<String[]> fromScores(List<String> tokens, List<Double> scores, Map<String, Integer> vocab) {
        if (scores.size() != tokens.size()) {
            throw new IllegalArgumentException("tokenizer.ggml.scores has " + scores.size() + " entries for "
                    + tokens.size() + " tokens");
        }
        Map<String, Double> scoreOf = new LinkedHashMap<>();        // first position, last value: a Python dict
        for (int i = 0; i < tokens.size(); i++) scoreOf.put(tokens.get(i), scores.get(i));
        List<Merge> merges = new ArrayList<>();
        for (Map.Entry<String, Double> e : scoreOf.entrySet()) {
            String token = e.getKey();
            int[] cps = token.codePoints().toArray();
            List<Merge> local = new ArrayList<>();
            for (int cut = 1; cut < cps.length; cut++) {
                String left = new String(cps, 0, cut), right = new String(cps, cut, cps.length - cut);
                if (vocab.containsKey(left) && vocab.containsKey(right)) local.add(new Merge(left, right, e.getValue()));
            }
            local.sort(Comparator.comparingInt((Merge m) -> vocab.get(m.left())).thenComparingInt(m -> vocab.get(m.right())));
            merges.addAll(local);
        }
        // Python's sorted(..., reverse=True) is stable: equal keys keep their order
        merges.sort(Comparator.comparingDouble(Merge::score)
                .thenComparingInt(m -> codePoints(m.left()))
                .thenComparingInt(m -> codePoints(m.right())).reversed());
        List<String[]> out = new ArrayList<>(merges.size());
        for (Merge m : merges) out.add(new String[] {m.left(), m.right()});
        return out;
    }

    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}
