package dev.rlhf.rewardmodel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.rewardmodel.dataset.PromptFormat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A preference file in TRL's JSONL format: one object per line with {@code chosen} and {@code rejected},
 * an optional {@code prompt} and an optional numeric {@code margin}. Either the standard form (texts) or the
 * conversational form (lists of {@code {role, content}} messages); without {@code prompt}, the shared start
 * of chosen and rejected is the prompt (TRL's implicit prompt). Blank lines are skipped; any other line
 * that does not fit is refused with its number.
 *
 * @param sha256 of the file's bytes, recorded in the model's metadata
 */
public record TrlPreferences(Path file, List<TrlPair> pairs, String sha256) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrlPreferences read(Path file) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        List<TrlPair> pairs = new ArrayList<>();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (!text.isBlank()) pairs.add(parse(file, line, text));
            }
        } catch (NoSuchFileException e) {
            throw CliFailure.badInput(file + ": no such file");
        } catch (IOException e) {
            throw CliFailure.badInput(file + ": cannot be read: " + e.getMessage());
        }
        if (pairs.isEmpty()) {
            throw CliFailure.badInput(file + ": no preference pairs (the file is empty)");
        }
        return new TrlPreferences(file, List.copyOf(pairs), HexFormat.of().formatHex(sha.digest()));
    }

    static TrlPair parse(Path file, int line, String text) {
        String where = file.getFileName() + " line " + line;
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            int source = why.indexOf(" (start marker at");
            throw CliFailure.badInput(where + ": not valid JSON (" + (source < 0 ? why : why.substring(0, source)) + ")");
        }
        if (node == null || !node.isObject()) {
            throw CliFailure.badInput(where + ": not a JSON object");
        }
        JsonNode chosen = required(node, "chosen", where), rejected = required(node, "rejected", where);
        JsonNode prompt = node.get("prompt");
        Double margin = margin(node.get("margin"), where);
        boolean conversational = chosen.isArray();
        if (rejected.isArray() != conversational || (prompt != null && !prompt.isNull() && prompt.isArray() != conversational)) {
            throw CliFailure.badInput(where + ": mixes texts and message lists; \"prompt\", \"chosen\" and \"rejected\" "
                    + "must all be texts (standard form) or all lists of messages (conversational form)");
        }
        return conversational ? conversational(line, prompt, chosen, rejected, margin, where)
                : standard(line, prompt, chosen, rejected, margin, where);
    }

    private static TrlPair standard(int line, JsonNode prompt, JsonNode chosen, JsonNode rejected, Double margin, String where) {
        String c = text(chosen, "chosen", where), r = text(rejected, "rejected", where);
        String p;
        if (prompt == null || prompt.isNull()) {
            int shared = 0;
            while (shared < Math.min(c.length(), r.length()) && c.charAt(shared) == r.charAt(shared)) shared++;
            p = c.substring(0, shared);
            c = c.substring(shared);
            r = r.substring(shared);
        } else {
            p = text(prompt, "prompt", where);
        }
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        if (!p.isEmpty()) messages.add(message("user", p));
        return new TrlPair(line, PromptFormat.render(messages), c, r, margin);
    }

    private static TrlPair conversational(int line, JsonNode prompt, JsonNode chosen, JsonNode rejected, Double margin,
                                          String where) {
        List<JsonNode> c = messages(chosen, "chosen", where), r = messages(rejected, "rejected", where);
        List<JsonNode> p;
        if (prompt == null || prompt.isNull()) {
            int shared = 0;
            while (shared < Math.min(c.size(), r.size()) && c.get(shared).equals(r.get(shared))) shared++;
            p = c.subList(0, shared);
            c = c.subList(shared, c.size());
            r = r.subList(shared, r.size());
        } else {
            p = messages(prompt, "prompt", where);
        }
        if (c.isEmpty() || r.isEmpty()) {
            throw CliFailure.badInput(where + ": \"chosen\" and \"rejected\" are the same conversation; nothing to compare");
        }
        ArrayNode rendered = JsonNodeFactory.instance.arrayNode();
        p.forEach(rendered::add);
        return new TrlPair(line, PromptFormat.render(rendered), completion(c), completion(r), margin);
    }

    /** The completion's first message's content, then any further messages as {@code role: content} lines. */
    private static String completion(List<JsonNode> messages) {
        StringBuilder s = new StringBuilder(messages.get(0).get("content").asText());
        for (JsonNode m : messages.subList(1, messages.size())) {
            s.append('\n').append(m.get("role").asText()).append(": ").append(m.get("content").asText());
        }
        return s.toString();
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw CliFailure.badInput(where + ": no \"" + field + "\" field");
        }
        return value;
    }

    private static String text(JsonNode value, String field, String where) {
        if (!value.isTextual()) {
            throw CliFailure.badInput(where + ": \"" + field + "\" is neither a text nor a list of messages");
        }
        return value.asText();
    }

    private static List<JsonNode> messages(JsonNode value, String field, String where) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode m = value.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw CliFailure.badInput(where + ": message " + (i + 1) + " of \"" + field
                        + "\" is not an object with text \"role\" and \"content\"");
            }
            out.add(m);
        }
        return out;
    }

    private static Double margin(JsonNode value, String where) {
        if (value == null || value.isNull()) return null;
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw CliFailure.badInput(where + ": \"margin\" is not a finite number");
        }
        return value.asDouble();
    }

    private static ObjectNode message(String role, String content) {
        return JsonNodeFactory.instance.objectNode().put("role", role).put("content", content);
    }
}
