package dev.rlhf.backend.queue;

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
import java.util.UUID;

/** A rater's lease on a task, with the order in which that rater was shown the completions. */
@Entity
@Table(name = "assignment")
public class Assignment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "task_id")
    public UUID taskId;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "rater_id")
    public UUID raterId;

    /** displayOrder.get(position) is the canonical index of the completion shown at that position. */
    @Column(name = "display_order")
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Integer> displayOrder;

    @Enumerated(EnumType.STRING)
    public AssignmentState state;

    @Column(name = "skip_reason")
    public String skipReason;

    @Column(name = "leased_at")
    public Instant leasedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** The guideline version shown with the task, which the judgment records; null on leases taken before it was kept. */
    @Column(name = "guideline_version")
    public Integer guidelineVersion;

    /** The canonical completion index shown under a display label (A = 0, B = 1, ...). */
    public int canonicalIndex(int displayPosition) {
        return displayOrder.get(displayPosition);
    }

    public static String label(int displayPosition) {
        return String.valueOf((char) ('A' + displayPosition));
    }
}
