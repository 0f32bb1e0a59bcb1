package dev.rlhf.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The campaign a platform benchmark judges: generated pairwise prompts, one task each, already active. */
final class BenchCampaign {

    private BenchCampaign() {
    }

    /** Creates, fills and activates a campaign of {@code prompts} pairwise tasks; returns its id. */
    static String create(HttpJson http, String admin, String name, int overlap, int prompts) throws Exception {
        JsonNode campaign = http.expect(201, "POST", "/api/campaigns", admin, Map.of("name", name + " " + UUID.randomUUID(),
                "overlap", overlap, "goldRatio", 0.0, "form", Map.of("criteria", List.of(), "askStrength", true)));
        String id = campaign.get("id").asText();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < prompts; i++) {
            jsonl.append("{\"prompt\": \"").append(name).append(" question ").append(i).append(" about something worth asking\", ")
                    .append("\"completions\": [{\"text\": \"A first answer, of a realistic length for a short reply, number ")
                    .append(i).append(".\"}, {\"text\": \"A second answer that says something else entirely, number ")
                    .append(i).append(".\"}]}\n");
        }
        HttpJson.Reply imported = http.call("POST", "/api/campaigns/" + id + "/import", admin, jsonl.toString(), "application/x-ndjson");
        if (imported.status() != 200) {
            throw new IllegalStateException("import failed: " + imported.body());
        }
        http.expect(200, "POST", "/api/campaigns/" + id + "/tasks/generate", admin, Map.of("strategy", "ALL_PAIRS", "seed", 1));
        http.expect(200, "PUT", "/api/campaigns/" + id + "/status", admin, Map.of("status", "ACTIVE"));
        return id;
    }
}
