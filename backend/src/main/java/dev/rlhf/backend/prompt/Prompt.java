package dev.rlhf.backend.prompt;

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

/** What the model was asked: a conversation, so multi-turn chats are first-class. */
@Entity
@Table(name = "prompt")
public class Prompt extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Message> messages;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> tags;

    public String source;

    /** The line of the import that created it: listings keep the file's order. */
    public int position;

    @Column(name = "created_at")
    public Instant createdAt;
}
