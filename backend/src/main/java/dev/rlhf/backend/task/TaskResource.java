package dev.rlhf.backend.task;

import dev.rlhf.backend.Pages;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.error.StrictJson;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.prompt.PromptImport;
import dev.rlhf.backend.prompt.PromptSearch;
import dev.rlhf.backend.prompt.PromptView;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** A campaign's material: prompts and completions (imported), and the comparison tasks made from them. */
@Path("/api/campaigns/{id}")
@RolesAllowed(Role.RESEARCHER_NAME)
public class TaskResource {

    public record GenerateRequest(@NotNull TaskFactory.Strategy strategy,
                                  @Min(1) @Max(100) Integer pairsPerPrompt,
                                  Long seed) {
    }

    public record GenerateResult(int created) {
    }

    public record TaskInput(@NotNull @Size(min = 2, max = 6) List<@NotNull UUID> completionIds, GoldAnswer gold) {
    }

    private final PromptImport importer;
    private final TaskFactory tasks;

    TaskResource(PromptImport importer, TaskFactory tasks) {
        this.importer = importer;
        this.tasks = tasks;
    }

    @POST
    @Path("/import")
    @Consumes({"application/x-ndjson", "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public PromptImport.ImportReport importJsonl(@PathParam("id") UUID id, String body) {
        return importer.importJsonl(id, body == null ? "" : body);
    }

    @GET
    @Path("/prompts")
    public List<PromptView> prompts(@PathParam("id") UUID id,
                                    @QueryParam("page") @DefaultValue("0") @Min(0) @Max(Pages.MAX_PAGE) int page,
                                    @QueryParam("size") @DefaultValue("50") @Min(1) @Max(Pages.MAX_SIZE) int size,
                                    @QueryParam("q") @Size(max = 200)
                                    @Pattern(regexp = "[^\\x00]*", message = StrictJson.NUL_REFUSED) String q) {
        Campaigns.find(id);
        List<Prompt> prompts = q == null || q.isBlank()
                ? Prompt.find("campaignId", Sort.by("createdAt").and("position").and("id"), id).page(Page.of(page, size)).list()
                : PromptSearch.find(id, q.strip(), page, size);
        Map<UUID, List<Completion>> completions = prompts.isEmpty() ? Map.of()
                : Completion.<Completion>list("promptId in ?1 order by position, id", prompts.stream().map(p -> p.id).toList())
                .stream().collect(Collectors.groupingBy(c -> c.promptId));
        return prompts.stream().map(p -> PromptView.of(p, completions.getOrDefault(p.id, List.of()))).toList();
    }

    @POST
    @Path("/tasks/generate")
    public GenerateResult generate(@PathParam("id") UUID id, @Valid @NotNull GenerateRequest request) {
        int pairs = request.pairsPerPrompt() == null ? 1 : request.pairsPerPrompt();
        long seed = request.seed() == null ? System.nanoTime() : request.seed();
        return new GenerateResult(tasks.generate(id, request.strategy(), pairs, seed));
    }

    @POST
    @Path("/tasks")
    public Response create(@PathParam("id") UUID id, @Valid @NotNull TaskInput input) {
        ComparisonTask task = tasks.create(id, input.completionIds(), input.gold());
        return Response.status(201).entity(TaskView.of(task)).build();
    }

    @GET
    @Path("/tasks")
    public List<TaskView> list(@PathParam("id") UUID id,
                               @QueryParam("page") @DefaultValue("0") @Min(0) @Max(Pages.MAX_PAGE) int page,
                               @QueryParam("size") @DefaultValue("50") @Min(1) @Max(Pages.MAX_SIZE) int size) {
        Campaigns.find(id);
        return ComparisonTask.<ComparisonTask>find("campaignId", Sort.by("createdAt").and("id"), id)
                .page(Page.of(page, size)).list().stream().map(TaskView::of).toList();
    }
}
