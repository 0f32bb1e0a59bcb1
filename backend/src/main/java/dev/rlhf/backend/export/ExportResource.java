package dev.rlhf.backend.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.backend.task.JsonColumns;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.error.ProblemException;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import javax.sql.DataSource;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Exports a campaign's judgments as JSONL, streamed so months of data never sit in memory, and read from one snapshot
 * ({@link ExportSnapshot}) so the count headers describe exactly the lines that follow.
 * {@code format=trl} gives TRL preference rows; {@code format=full} one self-contained record per judgment.
 */
@Path("/api/campaigns/{id}/export")
@RolesAllowed(Role.RESEARCHER_NAME)
public class ExportResource {

    private final DataSource dataSource;
    private final JudgmentRecords records;
    private final ObjectMapper json;
    private final JsonColumns columns;

    ExportResource(DataSource dataSource, JudgmentRecords records, ObjectMapper json, JsonColumns columns) {
        this.dataSource = dataSource;
        this.records = records;
        this.json = json;
        this.columns = columns;
    }

    @GET
    @Produces("application/x-ndjson")
    public Response export(@PathParam("id") UUID id, @QueryParam("format") @DefaultValue("trl") String format,
                           @Context RoutingContext routing) {
        if (!format.equals("trl") && !format.equals("full")) {
            throw ProblemException.invalid("format", "'" + format + "' is not one of trl, full");
        }
        ExportSnapshot snapshot = ExportSnapshot.open(dataSource, records, columns, id);
        // A body that is never written (a HEAD request, a client gone before the response) must still end the snapshot.
        routing.addEndHandler(ended -> routing.vertx().executeBlocking(() -> {
            snapshot.abandon();
            return null;
        }, false));
        try {
            Response.ResponseBuilder response = Response.ok()
                    .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-" + format + ".jsonl\"");
            if (format.equals("full")) {
                return response.entity(body(snapshot, List::of)).build();
            }
            boolean conversational = snapshot.conversational();
            ExportSnapshot.TrlCounts counts = snapshot.trlCounts();
            return response.entity(body(snapshot, r -> TrlPreferences.rows(r, conversational)))
                    .header("X-Trl-Format", conversational ? "conversational" : "standard")
                    .header("X-Exported-Pairs", counts.exportedPairs())
                    .header("X-Pairwise-Preferences", counts.pairwisePreferences())
                    .header("X-Rankings-Expanded", counts.rankingsExpanded())
                    .header("X-Skipped-Ties", counts.skippedTies())
                    .header("X-Skipped-Both-Bad", counts.skippedBothBad())
                    .header("X-Skipped-Tied-Pairs", counts.skippedTiedPairs())
                    .build();
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    /** The lines of every record; writing them ends the snapshot. */
    private StreamingOutput body(ExportSnapshot snapshot, Function<dev.rlhf.events.judgment.Judgment, List<?>> lines) {
        return output -> {
            try (snapshot) {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
                snapshot.forEachRecord(record -> {
                    for (Object line : lines.apply(record)) {
                        writer.write(json.writeValueAsString(line));
                        writer.write('\n');
                    }
                });
                writer.flush();
            }
        };
    }
}
