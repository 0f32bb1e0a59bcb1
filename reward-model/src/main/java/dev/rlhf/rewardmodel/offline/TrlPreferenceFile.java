package dev.rlhf.rewardmodel.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.events.judgment.Message;
import dev.rlhf.rewardmodel.dataset.LabelledPair;
import dev.rlhf.rewardmodel.dataset.PairKind;
import dev.rlhf.rewardmodel.dataset.PairOrigin;
import dev.rlhf.rewardmodel.dataset.PromptFormat;
import dev.rlhf.rewardmodel.dataset.PromptKey;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Preference pairs from a TRL preference JSONL file (what the backend's export writes and TRL's
 * RewardTrainer reads): one object per line with {@code prompt}, {@code chosen} and {@code rejected},
 * each either a string (standard format) or a list of {@code {role, content}} messages (conversational
 * format; a completion's text is its assistant messages). Ids are derived from the content, so the same
 * file always gives the same pairs and the same split.
 */
public final class TrlPreferenceFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrlPreferenceFile() {
    }

    public static List<LabelledPair> read(Path file) throws IOException {
        List<LabelledPair> pairs = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                pairs.add(pair(line, file + " line " + number));
            }
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(file + " holds no preference pairs");
        return pairs;
    }

    static LabelledPair pair(String line, String where) {
        JsonNode row;
        try {
            row = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!row.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object");
        List<Message> prompt = prompt(field(row, "prompt", where), where);
        String chosen = completion(field(row, "chosen", where), where + " field 'chosen'");
        String rejected = completion(field(row, "rejected", where), where + " field 'rejected'");
        String promptId = PromptKey.of(prompt);
        UUID chosenId = UUID.nameUUIDFromBytes((promptId + "\u0000" + chosen).getBytes(StandardCharsets.UTF_8));
        UUID rejectedId = UUID.nameUUIDFromBytes((promptId + "\u0000" + rejected).getBytes(StandardCharsets.UTF_8));
        UUID judgmentId = UUID.nameUUIDFromBytes((chosenId + ">" + rejectedId + "@" + where)
                .getBytes(StandardCharsets.UTF_8));
        return new LabelledPair(judgmentId, promptId, "file", PromptFormat.render(prompt), chosenId, chosen, rejectedId,
                rejected, null, PairKind.PAIRWISE, PairOrigin.RATER, false, List.of());
    }

    private static JsonNode field(JsonNode row, String name, String where) {
        JsonNode value = row.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(where + ": no '" + name + "' field (expected prompt, chosen, rejected)");
        }
        return value;
    }

    private static List<Message> prompt(JsonNode value, String where) {
        if (value.isTextual()) return List.of(new Message("user", value.asText()));
        List<Message> messages = messages(value, where + " field 'prompt'");
        if (messages.isEmpty()) throw new IllegalArgumentException(where + " field 'prompt': no messages");
        return messages;
    }

    private static String completion(JsonNode value, String where) {
        if (value.isTextual()) return value.asText();
        StringBuilder text = new StringBuilder();
        for (Message m : messages(value, where)) {
            if (m.role().equals("assistant")) text.append(m.content());
        }
        if (text.isEmpty()) throw new IllegalArgumentException(where + ": no assistant message");
        return text.toString();
    }

    private static List<Message> messages(JsonNode value, String where) {
        if (!value.isArray()) throw new IllegalArgumentException(where + ": expected a string or a list of messages");
        List<Message> out = new ArrayList<>();
        for (JsonNode m : value) {
            if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new IllegalArgumentException(where + ": every message needs a string 'role' and 'content'");
            }
            out.add(new Message(m.get("role").asText(), m.get("content").asText()));
        }
        return out;
    }
}
