package dev.rlhf.rewardmodel.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Bradley–Terry margin per preference strength, from a setting such as {@code none=0,1=0,2=0.5,3=1}:
 * the loss becomes {@code -log σ(r_c - r_r - margin)}, so a strong preference must be won by more.
 */
public final class Margins {

    private final Map<String, Double> byStrength;

    private Margins(Map<String, Double> byStrength) {
        this.byStrength = byStrength;
    }

    public static Margins parse(String setting) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (String entry : setting.split(",")) {
            String[] kv = entry.trim().split("=");
            if (kv.length != 2 || !kv[0].trim().matches("none|[123]")) {
                throw new IllegalArgumentException("margins: '" + entry.trim()
                        + "' is not <strength>=<margin> with strength none, 1, 2 or 3");
            }
            try {
                map.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("margins: '" + kv[1].trim() + "' (strength " + kv[0].trim()
                        + ") is not a number");
            }
        }
        for (String key : new String[] {"none", "1", "2", "3"}) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException("margins: no margin for strength " + key + " in '" + setting + "'");
            }
        }
        return new Margins(Map.copyOf(map));
    }

    public double margin(Integer strength) {
        return byStrength.get(strength == null ? "none" : strength.toString());
    }

    public Map<String, Double> asMap() {
        return new java.util.TreeMap<>(byStrength);
    }
}
