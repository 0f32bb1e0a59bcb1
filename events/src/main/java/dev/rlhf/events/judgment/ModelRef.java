package dev.rlhf.events.judgment;

/**
 * Which model wrote a completion. {@code modelId} and {@code modelVersion} name a version in the
 * platform's registry (a policy); {@code externalName} names a model from outside (an API model, an
 * imported checkpoint). Any of them may be null when unknown.
 */
public record ModelRef(String modelId, String modelVersion, String externalName) {
}
