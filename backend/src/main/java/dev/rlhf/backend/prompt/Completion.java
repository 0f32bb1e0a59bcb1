package dev.rlhf.backend.prompt;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One answer to a prompt, with the model and sampling that produced it. */
@Entity
@Table(name = "completion")
public class Completion extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "prompt_id")
    public UUID promptId;

    public String text;

    /** A model of this platform's registry, by id and version... */
    @Column(name = "model_id")
    public String modelId;

    @Column(name = "model_version")
    public String modelVersion;

    /** ...or a model from elsewhere, by name. */
    @Column(name = "external_name")
    public String externalName;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> sampling;

    @Column(name = "token_count")
    public Integer tokenCount;

    /** Order within its prompt, as imported. */
    public int position;

    @Column(name = "created_at")
    public Instant createdAt;
}
