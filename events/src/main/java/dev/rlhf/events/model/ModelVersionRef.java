package dev.rlhf.events.model;

import java.util.Objects;

/** A version in the model registry: {@code <root>/<kind>/<version>/} is found from these two. */
public record ModelVersionRef(String modelId, int version) {

    public ModelVersionRef {
        Objects.requireNonNull(modelId, "modelId");
    }
}
