package dev.rlhf.events.judgment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One completion as the rater judged it: its text exactly as shown, the model that wrote it and the
 * sampling settings (temperature, top_p, seed, ...) so a trainer can tell on-policy from off-policy data.
 */
public record Completion(UUID completionId, String text, ModelRef model, Map<String, Object> sampling,
                         Integer tokenCount) {

    public Completion {
        Objects.requireNonNull(completionId, "completion.completionId");
        Objects.requireNonNull(text, "completion.text");
        model = model == null ? new ModelRef(null, null, null) : model;
        // Sampling values may be null (a setting left unset), which Map.copyOf refuses.
        sampling = sampling == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sampling));
    }
}
