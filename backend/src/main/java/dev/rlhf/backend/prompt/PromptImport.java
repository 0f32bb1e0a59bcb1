package dev.rlhf.backend.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.campaign.Campaigns;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Imports prompts and their completions from JSONL. Every line is checked first; the good lines are
 * then written in one transaction, so a line is imported whole or not at all.
 */
@ApplicationScoped
public class PromptImport {

    public record LineError(int line, String message) {
    }

    public record ImportReport(int lines, int importedPrompts, int importedCompletions, List<LineError> errors) {
    }

    private final ObjectMapper json;

    PromptImport(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public ImportReport importJsonl(UUID campaignId, String body) {
        Campaigns.find(campaignId);
        List<ImportLine> good = new ArrayList<>();
        List<Integer> goodLines = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        int lineNumber = 0;
        int nonBlank = 0;
        for (String line : body.split("\r?\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            nonBlank++;
            try {
                good.add(ImportLine.parse(json.readTree(line)));
                goodLines.add(lineNumber);
            } catch (JsonProcessingException e) {
                errors.add(new LineError(lineNumber, "not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")));
            } catch (ImportLine.Invalid e) {
                errors.add(new LineError(lineNumber, e.getMessage()));
            }
        }
        int completions = 0;
        Instant now = Instant.now();
        for (int i = 0; i < good.size(); i++) {
            completions += persist(campaignId, good.get(i), goodLines.get(i), now);
        }
        return new ImportReport(nonBlank, good.size(), completions, errors);
    }

    private static int persist(UUID campaignId, ImportLine line, int lineNumber, Instant now) {
        Prompt prompt = new Prompt();
        prompt.id = UUID.randomUUID();
        prompt.campaignId = campaignId;
        prompt.messages = line.messages();
        prompt.tags = line.tags();
        prompt.source = line.source();
        prompt.position = lineNumber;
        prompt.createdAt = now;
        prompt.persist();
        for (int position = 0; position < line.completions().size(); position++) {
            ImportLine.ImportedCompletion c = line.completions().get(position);
            Completion completion = new Completion();
            completion.position = position;
            completion.id = UUID.randomUUID();
            completion.promptId = prompt.id;
            completion.text = c.text();
            completion.modelId = c.model().modelId();
            completion.modelVersion = c.model().modelVersion();
            completion.externalName = c.model().externalName();
            completion.sampling = c.sampling();
            completion.tokenCount = c.tokenCount();
            completion.createdAt = now;
            completion.persist();
        }
        return line.completions().size();
    }
}
