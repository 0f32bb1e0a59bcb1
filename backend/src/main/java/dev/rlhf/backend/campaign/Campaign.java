package dev.rlhf.backend.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** A labelling effort: its tasks, its guidelines, its judgment form and its queue rules. */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public String description;

    @Enumerated(EnumType.STRING)
    public CampaignStatus status;

    /** How many raters judge each (non-gold) task. */
    public int overlap;

    /** Share of served tasks drawn from gold items, when any are left for the rater. */
    @Column(name = "gold_ratio")
    public double goldRatio;

    @Column(name = "lease_minutes")
    public int leaseMinutes;

    /**
     * Active learning: serve first the tasks the latest reward model is least sure about (see
     * {@code activelearning.CertaintyRefresher}); off by default, when the queue serves fewest judgments first.
     */
    @Column(name = "prefer_uncertain")
    public boolean preferUncertain;

    @JdbcTypeCode(SqlTypes.JSON)
    public JudgmentForm form;

    /** The current guideline version; judgments record the version they were made under. */
    @Column(name = "guideline_version")
    public int guidelineVersion;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    public long version;
}
