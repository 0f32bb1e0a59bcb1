package dev.rlhf.backend.prompt;

/** Which model produced a completion: a registry model (id + version) or an external name. */
public record ModelRef(String modelId, String modelVersion, String externalName) {
}
