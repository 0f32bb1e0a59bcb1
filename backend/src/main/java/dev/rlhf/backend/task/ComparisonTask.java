package dev.rlhf.backend.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A prompt and 2..6 of its completions to compare. Pairwise is the common case; more is an N-way ranking. */
@Entity
@Table(name = "comparison_task")
public class ComparisonTask extends PanacheEntityBase {

    public static final int MIN_COMPLETIONS = 2;
    public static final int MAX_COMPLETIONS = 6;

    @Id
    public UUID id;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "prompt_id")
    public UUID promptId;

    /** Canonical order: judgments are stored against it, whatever order a rater saw. */
    @Column(name = "completion_ids")
    @JdbcTypeCode(SqlTypes.JSON)
    public List<UUID> completionIds;

    public boolean gold;

    @Column(name = "gold_answer")
    @JdbcTypeCode(SqlTypes.JSON)
    public GoldAnswer goldAnswer;

    /** Judgments submitted; maintained by the queue in the same transaction as the judgment. */
    @Column(name = "judgment_count")
    public int judgmentCount;

    /** Live leases; maintained by the queue and the lease sweeper. */
    @Column(name = "leased_count")
    public int leasedCount;

    /**
     * How sure the reward model is about this task, |P(A>B) - 0.5| (an N-way task: its least certain pair);
     * null unless its campaign prefers uncertain pairs and a version has scored it.
     */
    @Column(name = "model_certainty")
    public Float modelCertainty;

    /** The reward-model version behind {@link #modelCertainty}. */
    @Column(name = "certainty_version")
    public Integer certaintyVersion;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean isPairwise() {
        return completionIds.size() == 2;
    }
}
