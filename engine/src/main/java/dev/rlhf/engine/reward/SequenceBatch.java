package dev.rlhf.engine.reward;

import dev.rlhf.engine.graph.TensorData;

import java.util.List;

/**
 * Token sequences right-padded into the three inputs a reward model reads: {@code input_ids},
 * {@code position_ids} and {@code attention_mask}, each (N, T) int64 with T the longest sequence.
 * The reward head reads the last real token, which the mask identifies.
 */
public record SequenceBatch(TensorData inputIds, TensorData positionIds, TensorData attentionMask) {

    /** @param padId the token written into padding positions (masked out, so any valid id works) */
    public static SequenceBatch of(List<int[]> sequences, int padId) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("a batch needs at least one sequence");
        int n = sequences.size();
        int t = 0;
        for (int i = 0; i < n; i++) {
            int length = sequences.get(i).length;
            if (length == 0) throw new IllegalArgumentException("sequence " + i + " of the batch is empty");
            t = Math.max(t, length);
        }
        long[] ids = new long[n * t], positions = new long[n * t], mask = new long[n * t];
        for (int i = 0; i < n; i++) {
            int[] s = sequences.get(i);
            for (int j = 0; j < t; j++) {
                boolean real = j < s.length;
                ids[i * t + j] = real ? s[j] : padId;
                positions[i * t + j] = real ? j : 0;
                mask[i * t + j] = real ? 1 : 0;
            }
        }
        long[] dims = {n, t};
        return new SequenceBatch(TensorData.ofLongs(dims, ids), TensorData.ofLongs(dims, positions),
                TensorData.ofLongs(dims, mask));
    }
}
