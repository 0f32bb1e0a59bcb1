package dev.rlhf.backend.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.error.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Exports a campaign's judgments as JSONL, streamed page by page so months of data never sit in memory.
 * {@code format=trl} gives TRL preference rows; {@code format=full} one self-contained record per judgment.
 */
@Path("/api/campaigns/{id}/export")
@RolesAllowed(Role.RESEARCHER_NAME)
public class ExportResource {

    private static final int PAGE = 500;

    private final JudgmentRecords records;
    private final ObjectMapper json;
    private final EntityManager em;

    ExportResource(JudgmentRecords records, ObjectMapper json, EntityManager em) {
        this.records = records;
        this.json = json;
        this.em = em;
    }

    @GET
    @Produces("application/x-ndjson")
    @Transactional
    public Response export(@PathParam("id") UUID id, @QueryParam("format") @DefaultValue("trl") String format) {
        Campaigns.find(id);
        String filename = "campaign-" + id + "-" + format + ".jsonl";
        return switch (format) {
            case "full" -> Response.ok(stream(id, r -> List.of(r)))
                    .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
            case "trl" -> trl(id, filename);
            default -> throw ProblemException.invalid("format", "'" + format + "' is not one of trl, full");
        };
    }

    private Response trl(UUID id, String filename) {
        boolean conversational = (Boolean) em.createNativeQuery("""
                        SELECT EXISTS (SELECT 1 FROM prompt WHERE campaign_id = :c
                          AND (jsonb_array_length(messages) <> 1 OR messages -> 0 ->> 'role' <> 'user'))""")
                .setParameter("c", id).getSingleResult();
        Object[] counts = (Object[]) em.createNativeQuery("""
                        SELECT count(*) FILTER (WHERE outcome IN ('A', 'B')),
                               count(*) FILTER (WHERE outcome = 'TIE'),
                               count(*) FILTER (WHERE outcome = 'BOTH_BAD'),
                               count(*) FILTER (WHERE outcome = 'RANKING')
                        FROM judgment WHERE campaign_id = :c""")
                .setParameter("c", id).getSingleResult();
        return Response.ok(stream(id, r -> TrlPreferences.rows(r, conversational)))
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("X-Trl-Format", conversational ? "conversational" : "standard")
                .header("X-Pairwise-Preferences", counts[0])
                .header("X-Skipped-Ties", counts[1])
                .header("X-Skipped-Both-Bad", counts[2])
                .header("X-Rankings-Expanded", counts[3])
                .build();
    }

    private StreamingOutput stream(UUID campaignId, java.util.function.Function<dev.rlhf.events.judgment.Judgment, List<?>> lines) {
        return output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            JudgmentRecords.Cursor cursor = JudgmentRecords.Cursor.START;
            while (true) {
                List<dev.rlhf.events.judgment.Judgment> page = records.page(campaignId, cursor, PAGE);
                for (dev.rlhf.events.judgment.Judgment record : page) {
                    for (Object line : lines.apply(record)) {
                        writer.write(json.writeValueAsString(line));
                        writer.write('\n');
                    }
                }
                if (page.size() < PAGE) {
                    break;
                }
                dev.rlhf.events.judgment.Judgment last = page.get(page.size() - 1);
                cursor = new JudgmentRecords.Cursor(last.submittedAt(), last.judgmentId());
            }
            writer.flush();
        };
    }
}
