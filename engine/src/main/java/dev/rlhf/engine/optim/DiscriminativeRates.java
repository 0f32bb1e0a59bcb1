package dev.rlhf.engine.optim;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-layer learning rates (ULMFiT's discriminative fine-tuning): the top block trains at the
 * scheduled rate and each block below at {@code 1 / factor} of the one above; embeddings train
 * like the bottom block, the final norm like the top. Biases and norm weights get no decay.
 * Layer numbers are read from GPT-2 style names ({@code h.<layer>.}).
 */
public final class DiscriminativeRates {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)h\\.(\\d+)\\.");

    private DiscriminativeRates() {
    }

    public static Function<String, ParamGroup> forLayers(int layers, double factor, double weightDecay) {
        return name -> {
            int layer = layerOf(name, layers);
            double scale = Math.pow(factor, -(layers - 1 - layer));
            boolean noDecay = name.endsWith("bias") || name.contains("ln");
            return new ParamGroup(scale, noDecay ? 0 : weightDecay);
        };
    }

    static int layerOf(String name, int layers) {
        Matcher m = LAYER.matcher(name);
        if (m.find()) return Integer.parseInt(m.group(1));
        return name.startsWith("ln_f") ? layers - 1 : 0;
    }
}
