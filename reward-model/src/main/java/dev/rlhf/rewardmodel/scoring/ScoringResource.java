package dev.rlhf.rewardmodel.scoring;

import dev.rlhf.events.RewardScored;
import dev.rlhf.events.model.ModelVersionRef;
import dev.rlhf.events.model.RewardScore;
import dev.rlhf.rewardmodel.config.RewardModelConfig;
import dev.rlhf.rewardmodel.dataset.PromptFormat;
import dev.rlhf.rewardmodel.publish.EventOutbox;
import dev.rlhf.rewardmodel.training.Calibration;
import dev.rlhf.rewardmodel.web.ApiTokenAuthentication;
import dev.rlhf.rewardmodel.web.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Scoring with a chosen version: rewards for completions (optionally announced on rlhf.rewards), and active learning. */
@Path("/api")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiTokenAuthentication.ROLE)
@Blocking
public class ScoringResource {

    private final ServingModels models;
    private final EventOutbox outbox;
    private final RewardModelConfig config;

    ScoringResource(ServingModels models, EventOutbox outbox, RewardModelConfig config) {
        this.models = models;
        this.outbox = outbox;
        this.config = config;
    }

    @POST
    @Path("/score")
    public ScoreResponse score(@Valid @NotNull ScoreRequest request) {
        if (request.publish()) {
            for (int i = 0; i < request.items().size(); i++) {
                if (request.items().get(i).completionId() == null) {
                    throw ProblemException.invalid("items[" + i + "].completionId: required when publish is true "
                            + "(it is the key of the RewardScored event)");
                }
            }
        }
        List<String> texts = request.items().stream()
                .map(item -> PromptFormat.withCompletion(PromptFormat.render(item.prompt()), item.completion())).toList();
        ServingModel model;
        double[] rewards;
        try (ServingModels.Lease lease = models.acquire(request.version())) {
            model = lease.model();
            rewards = model.score(texts, config.scoring().batchSize());
        }
        List<ScoreResponse.Score> scores = new ArrayList<>();
        List<RewardScored> events = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < rewards.length; i++) {
            ScoreRequest.Item item = request.items().get(i);
            scores.add(new ScoreResponse.Score(item.completionId(), rewards[i]));
            if (request.publish()) {
                events.add(RewardScored.of(new RewardScore(item.completionId(),
                        new ModelVersionRef(model.modelId(), model.version()), rewards[i]), now));
            }
        }
        if (!events.isEmpty()) {
            outbox.add(events);
            outbox.relay();
        }
        return new ScoreResponse(model.modelId(), model.version(), scores);
    }

    @POST
    @Path("/active-learning")
    public PairCertainty activeLearning(@Valid @NotNull CandidatePairs request) {
        List<String> texts = new ArrayList<>();
        for (CandidatePairs.Pair pair : request.pairs()) {
            String prompt = PromptFormat.render(pair.prompt());
            texts.add(PromptFormat.withCompletion(prompt, pair.a().text()));
            texts.add(PromptFormat.withCompletion(prompt, pair.b().text()));
        }
        ServingModel model;
        double[] rewards;
        try (ServingModels.Lease lease = models.acquire(request.version())) {
            model = lease.model();
            rewards = model.score(texts, config.scoring().batchSize());
        }
        List<PairCertainty.Entry> entries = new ArrayList<>();
        for (int i = 0; i < request.pairs().size(); i++) {
            double a = rewards[2 * i], b = rewards[2 * i + 1];
            double p = Calibration.sigmoid(a - b);
            entries.add(new PairCertainty.Entry(request.pairs().get(i).pairId(), a, b, p, Math.abs(p - 0.5)));
        }
        entries.sort(Comparator.comparingDouble(PairCertainty.Entry::certainty));
        return new PairCertainty(model.modelId(), model.version(), entries);
    }
}
