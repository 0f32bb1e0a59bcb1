package dev.rlhf.backend.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.backend.error.StrictJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a prompt import, checked field by field. The parser throws {@link Invalid} naming the
 * field, so a researcher can fix the file from the report alone.
 */
record ImportLine(List<Message> messages, List<String> tags, String source, List<ImportedCompletion> completions) {

    static final int MAX_TEXT = 100_000;
    static final int MAX_MESSAGES = 100;
    static final int MAX_COMPLETIONS = 20;

    record ImportedCompletion(String text, ModelRef model, Map<String, Object> sampling, Integer tokenCount) {
    }

    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static ImportLine parse(JsonNode node) throws Invalid {
        if (!node.isObject()) {
            throw new Invalid("a line must be a JSON object");
        }
        refuseNul(node, "");
        return new ImportLine(messages(node.get("prompt")), tags(node.get("tags")),
                optionalText(node, "source", 200), completions(node.get("completions")));
    }

    /** Anywhere in the line, since PostgreSQL would refuse the whole import's transaction for one. */
    private static void refuseNul(JsonNode node, String where) throws Invalid {
        if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
            throw new Invalid(where + " " + StrictJson.NUL_REFUSED);
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            refuseNul(node.get(i), where + "[" + i + "]");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String field = where.isEmpty() ? name : where + "." + name;
            if (name.indexOf('\0') >= 0) {
                throw new Invalid("the name of " + field + " " + StrictJson.NUL_REFUSED);
            }
            refuseNul(node.get(name), field);
        }
    }

    private static List<Message> messages(JsonNode prompt) throws Invalid {
        if (prompt == null || prompt.isNull()) {
            throw new Invalid("'prompt' is required: a string or a list of {role, content} messages");
        }
        if (prompt.isTextual()) {
            return List.of(new Message("user", text(prompt, "prompt")));
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw new Invalid("'prompt' must be a non-empty string or a non-empty list of messages");
        }
        if (prompt.size() > MAX_MESSAGES) {
            throw new Invalid("'prompt' has " + prompt.size() + " messages; at most " + MAX_MESSAGES);
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < prompt.size(); i++) {
            JsonNode m = prompt.get(i);
            String where = "prompt[" + i + "]";
            if (!m.isObject()) {
                throw new Invalid(where + " must be an object with 'role' and 'content'");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !Message.ROLES.contains(role.asText())) {
                throw new Invalid(where + ".role must be one of system, user, assistant");
            }
            messages.add(new Message(role.asText(), text(m.get("content"), where + ".content")));
        }
        return messages;
    }

    private static List<String> tags(JsonNode tags) throws Invalid {
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        if (!tags.isArray() || tags.size() > 20) {
            throw new Invalid("'tags' must be a list of at most 20 strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode tag : tags) {
            if (!tag.isTextual() || tag.asText().isBlank() || tag.asText().length() > 64) {
                throw new Invalid("'tags' must hold non-empty strings of at most 64 characters");
            }
            result.add(tag.asText());
        }
        return result;
    }

    private static List<ImportedCompletion> completions(JsonNode completions) throws Invalid {
        if (completions == null || completions.isNull()) {
            return List.of();
        }
        if (!completions.isArray() || completions.size() > MAX_COMPLETIONS) {
            throw new Invalid("'completions' must be a list of at most " + MAX_COMPLETIONS + " objects");
        }
        List<ImportedCompletion> result = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            JsonNode c = completions.get(i);
            String where = "completions[" + i + "]";
            if (!c.isObject()) {
                throw new Invalid(where + " must be an object with 'text'");
            }
            result.add(new ImportedCompletion(text(c.get("text"), where + ".text"), model(c.get("model"), where),
                    sampling(c.get("sampling"), where), tokenCount(c.get("tokenCount"), where)));
        }
        return result;
    }

    private static ModelRef model(JsonNode model, String where) throws Invalid {
        if (model == null || model.isNull()) {
            return new ModelRef(null, null, null);
        }
        if (model.isTextual()) {
            return new ModelRef(null, null, limited(model.asText(), where + ".model", 200));
        }
        if (!model.isObject()) {
            throw new Invalid(where + ".model must be a name or {modelId, modelVersion, externalName}");
        }
        return new ModelRef(optionalText(model, "modelId", 200), optionalText(model, "modelVersion", 100),
                optionalText(model, "externalName", 200));
    }

    private static Map<String, Object> sampling(JsonNode sampling, String where) throws Invalid {
        if (sampling == null || sampling.isNull()) {
            return Map.of();
        }
        if (!sampling.isObject() || sampling.size() > 30) {
            throw new Invalid(where + ".sampling must be an object of at most 30 parameters");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = sampling.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                result.put(field.getKey(), value.numberValue());
            } else if (value.isTextual() || value.isBoolean()) {
                result.put(field.getKey(), value.isTextual() ? value.asText() : value.asBoolean());
            } else {
                throw new Invalid(where + ".sampling." + field.getKey() + " must be a number, string or boolean");
            }
        }
        return result;
    }

    private static Integer tokenCount(JsonNode count, String where) throws Invalid {
        if (count == null || count.isNull()) {
            return null;
        }
        if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 0) {
            throw new Invalid(where + ".tokenCount must be a non-negative integer");
        }
        return count.asInt();
    }

    private static String text(JsonNode node, String where) throws Invalid {
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new Invalid(where + " must be a non-empty string");
        }
        return limited(node.asText(), where, MAX_TEXT);
    }

    private static String optionalText(JsonNode parent, String field, int max) throws Invalid {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid("'" + field + "' must be a string");
        }
        return limited(node.asText(), field, max);
    }

    private static String limited(String text, String where, int max) throws Invalid {
        if (text.length() > max) {
            throw new Invalid(where + " is " + text.length() + " characters long; at most " + max);
        }
        return text;
    }
}
