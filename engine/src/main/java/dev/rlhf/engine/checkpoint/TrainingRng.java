package dev.rlhf.engine.checkpoint;

/**
 * SplitMix64: a random generator whose whole state is one long, so a checkpoint can store it
 * and a resumed run draws the same shuffles and dropout seeds as an uninterrupted one
 * (java.util.Random hides its state).
 */
public final class TrainingRng {
    private long state;

    public TrainingRng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    public long state() {
        return state;
    }
}
