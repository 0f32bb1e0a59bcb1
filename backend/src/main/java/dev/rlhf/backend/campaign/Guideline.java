package dev.rlhf.backend.campaign;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One version of a campaign's guidelines, in Markdown. Versions are never edited, only added. */
@Entity
@Table(name = "guideline")
@IdClass(Guideline.Key.class)
public class Guideline extends PanacheEntityBase {

    /** The composite primary key (campaign, version). */
    public static class Key implements Serializable {
        public UUID campaignId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && java.util.Objects.equals(k.campaignId, campaignId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(campaignId, version);
        }
    }

    @Id
    @Column(name = "campaign_id")
    public UUID campaignId;

    @Id
    public int version;

    public String markdown;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Guideline> find(UUID campaignId, int version) {
        return find("campaignId = ?1 and version = ?2", campaignId, version).firstResultOptional();
    }

    public static List<Guideline> history(UUID campaignId) {
        return list("campaignId = ?1 order by version", campaignId);
    }
}
