package dev.rlhf.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.engine.tokenizer.SpecialTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a Hugging Face folder's {@code tokenizer_config.json} (and {@code chat_template.jinja},
 * where transformers 5 writes the template) says: the special token strings and the chat template.
 */
record TokenizerConfig(SpecialTokens specials, String chatTemplate) {
    static TokenizerConfig read(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer_config.json");
        JsonNode c = Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : new ObjectMapper().createObjectNode();
        SpecialTokens specials = new SpecialTokens(token(c, "bos_token"), token(c, "eos_token"),
                token(c, "pad_token"), token(c, "unk_token"));
        String template = null;
        JsonNode t = c.get("chat_template");
        if (t != null && t.isTextual()) {
            template = t.asText();
        } else if (t != null && t.isArray()) {          // named templates: use "default"
            for (JsonNode named : t) if ("default".equals(named.path("name").asText())) template = named.path("template").asText();
            if (template == null) throw new WeightFileException(file + ": chat_template lists no template named default");
        }
        Path jinja = dir.resolve("chat_template.jinja");
        if (template == null && Files.exists(jinja)) template = Files.readString(jinja, StandardCharsets.UTF_8);
        return new TokenizerConfig(specials, template);
    }

    /** A special token given as a string or as an AddedToken object ({@code {"content": ...}}). */
    private static String token(JsonNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) return null;
        return n.isTextual() ? n.asText() : n.path("content").asText(null);
    }
}
