package dev.rlhf.backend.judgment;

import dev.rlhf.backend.task.Outcome;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A rater's verdict on a task, in canonical order: {@code outcome} A means the task's first completion,
 * and {@code ranking} holds each canonical completion's rank (1 = best). Screen position never leaks in.
 */
@Entity
@Table(name = "judgment")
public class Judgment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "assignment_id")
    public UUID assignmentId;

    @Column(name = "task_id")
    public UUID taskId;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "rater_id")
    public UUID raterId;

    @Column(name = "guideline_version")
    public int guidelineVersion;

    public boolean gold;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    /** 1 slightly, 2 clearly, 3 much better; only for A or B. */
    public Integer strength;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Integer> ranking;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> criteria;

    public String rationale;

    @Column(name = "corrected_answer")
    public String correctedAnswer;

    @JdbcTypeCode(SqlTypes.JSON)
    public Set<Flag> flags;

    @Column(name = "time_on_task_ms")
    public Long timeOnTaskMs;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "submitted_at")
    public Instant submittedAt;
}
