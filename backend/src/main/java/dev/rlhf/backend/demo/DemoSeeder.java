package dev.rlhf.backend.demo;

import dev.rlhf.backend.account.Account;
import dev.rlhf.backend.account.PasswordHasher;
import dev.rlhf.backend.account.Role;
import dev.rlhf.backend.campaign.Campaign;
import dev.rlhf.backend.campaign.CampaignInput;
import dev.rlhf.backend.campaign.CampaignStatus;
import dev.rlhf.backend.campaign.Campaigns;
import dev.rlhf.backend.campaign.JudgmentForm;
import dev.rlhf.backend.config.RlhfConfig;
import dev.rlhf.backend.prompt.Completion;
import dev.rlhf.backend.prompt.Prompt;
import dev.rlhf.backend.prompt.PromptImport;
import dev.rlhf.backend.task.TaskFactory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * With rlhf.demo=true ({@code ./rlhf up --demo}), seeds what a newcomer needs to judge a pair within a
 * minute: a researcher, three raters and an active campaign of pairwise tasks plus one 4-way ranking.
 * Idempotent: a second start finds the campaign and adds nothing.
 */
@ApplicationScoped
public class DemoSeeder {

    public static final String CAMPAIGN = "Demo: helpful answers";
    static final String RATER_PASSWORD = "rater-demo";
    static final String RESEARCHER_PASSWORD = "researcher-demo";

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);

    void onStart(@Observes @Priority(20) StartupEvent event, RlhfConfig config, PasswordHasher hasher,
                 Campaigns campaigns, PromptImport importer, TaskFactory tasks) throws IOException {
        if (!config.demo()) {
            return;
        }
        if (QuarkusTransaction.requiringNew().call(() -> Campaign.count("name", CAMPAIGN)) > 0) {
            return;
        }
        UUID researcher = QuarkusTransaction.requiringNew().call(() -> {
            ensureAccount("rater1", RATER_PASSWORD, EnumSet.of(Role.RATER), hasher);
            ensureAccount("rater2", RATER_PASSWORD, EnumSet.of(Role.RATER), hasher);
            ensureAccount("rater3", RATER_PASSWORD, EnumSet.of(Role.RATER), hasher);
            return ensureAccount("researcher", RESEARCHER_PASSWORD, EnumSet.of(Role.RESEARCHER), hasher);
        });
        JudgmentForm form = new JudgmentForm(List.of("helpfulness", "honesty"), true, true, false, true);
        // Overlap 3: every demo rater may judge every task, so agreement statistics have something to show.
        Campaign campaign = campaigns.create(new CampaignInput(CAMPAIGN, "Sample prompts to try the rater's page.",
                3, 0.0, 10, form, resource("guidelines.md"), false), researcher);
        importer.importJsonl(campaign.id, resource("prompts.jsonl"));
        int pairs = tasks.generate(campaign.id, TaskFactory.Strategy.RANDOM_PAIRS, 1, 42);
        // Prompts with 3..6 answers also get one N-way ranking task over all of them.
        QuarkusTransaction.requiringNew().run(() -> {
            for (Prompt prompt : Prompt.<Prompt>list("campaignId", campaign.id)) {
                List<UUID> answers = Completion.<Completion>list("promptId = ?1 order by position, id", prompt.id)
                        .stream().map(c -> c.id).toList();
                if (answers.size() >= 3 && answers.size() <= 6) {
                    tasks.create(campaign.id, answers, null);
                }
            }
        });
        campaigns.changeStatus(campaign.id, CampaignStatus.ACTIVE);
        LOG.infof("demo: seeded campaign '%s' with %d pairwise tasks and one 4-way ranking", CAMPAIGN, pairs);
    }

    private static UUID ensureAccount(String username, String password, EnumSet<Role> roles, PasswordHasher hasher) {
        return Account.findByUsername(username).map(a -> a.id).orElseGet(() -> {
            Account account = Account.create(username, username, hasher.hash(password), roles);
            account.persist();
            return account.id;
        });
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoSeeder.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IOException("demo resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
