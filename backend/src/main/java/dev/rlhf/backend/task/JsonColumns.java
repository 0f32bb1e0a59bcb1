package dev.rlhf.backend.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rlhf.backend.campaign.JudgmentForm;
import dev.rlhf.backend.judgment.Flag;
import dev.rlhf.backend.prompt.Message;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Readers of the JSON columns that the plain-SQL paths (lease, submit, active learning, export) select as text:
 * display orders and ranks, id and text lists, conversations, judgment forms, criterion scores, flags. Made once: each resolves its type and deserializer up
 * front, not per call.
 */
@Singleton
public class JsonColumns {

    private final ObjectReader integers;
    private final ObjectReader uuids;
    private final ObjectReader strings;
    private final ObjectReader messages;
    private final ObjectReader form;
    private final ObjectReader scores;
    private final ObjectReader flags;

    JsonColumns(ObjectMapper json) {
        this.integers = json.readerFor(new TypeReference<List<Integer>>() { });
        this.uuids = json.readerFor(new TypeReference<List<UUID>>() { });
        this.strings = json.readerFor(new TypeReference<List<String>>() { });
        this.messages = json.readerFor(new TypeReference<List<Message>>() { });
        this.form = json.readerFor(JudgmentForm.class);
        this.scores = json.readerFor(new TypeReference<Map<String, Integer>>() { });
        this.flags = json.readerFor(new TypeReference<Set<Flag>>() { });
    }

    /** {@code List<Integer>}, e.g. a display order or a judgment's ranks. */
    public ObjectReader integers() {
        return integers;
    }

    /** {@code List<UUID>}, e.g. a task's completion ids. */
    public ObjectReader uuids() {
        return uuids;
    }

    /** {@code List<String>}, e.g. completion texts or tags. */
    public ObjectReader strings() {
        return strings;
    }

    /** {@code List<Message>}: a prompt's conversation. */
    public ObjectReader messages() {
        return messages;
    }

    /** A campaign's {@link JudgmentForm}. */
    public ObjectReader form() {
        return form;
    }

    /** {@code Map<String, Integer>}: a judgment's criterion scores. */
    public ObjectReader scores() {
        return scores;
    }

    /** {@code Set<Flag>}: a judgment's flags. */
    public ObjectReader flags() {
        return flags;
    }
}
