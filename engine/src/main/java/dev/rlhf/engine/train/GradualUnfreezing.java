package dev.rlhf.engine.train;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ULMFiT's gradual unfreezing for GPT-2 style names: stage 0 trains the top block and the final
 * norm; each later stage also trains the next block down; once every block trains, the
 * embeddings do too. Each stage changes the training graph, so it needs a new session, into which
 * {@link TrainingSession#adopt} carries the state of the parameters that already trained.
 */
public final class GradualUnfreezing {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)h\\.(\\d+)\\.");

    private GradualUnfreezing() {
    }

    /** Which parameters stay frozen at a stage. */
    public static Predicate<String> frozenAt(int stage, int layers) {
        int lowestTrained = Math.max(0, layers - 1 - stage);
        boolean all = stage >= layers;
        return name -> {
            if (name.contains(Lora.A) || name.contains(Lora.B)) return false;
            Matcher m = LAYER.matcher(name);
            if (m.find()) return Integer.parseInt(m.group(1)) < lowestTrained;
            if (name.startsWith("ln_f")) return false;
            return !all;   // embeddings last
        };
    }
}
