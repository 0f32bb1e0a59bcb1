package dev.rlhf.backend.outbox;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.RlhfEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** Writes events into the outbox, inside the caller's transaction: the event exists iff the change does. */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final EventCodec codec = new EventCodec();

    Outbox(EntityManager em) {
        this.em = em;
    }

    /** An event as its outbox row stores it; for writers that insert the row with their own SQL. */
    public record Encoded(UUID eventId, String topic, String key, byte[] payload) {
    }

    public Encoded encode(RlhfEvent event) {
        return new Encoded(event.id(), event.topic().topicName(), event.key(), codec.encode(event));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(RlhfEvent event) {
        em.createNativeQuery("INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (:id, :topic, :key, :payload)")
                .setParameter("id", event.id())
                .setParameter("topic", event.topic().topicName())
                .setParameter("key", event.key())
                .setParameter("payload", codec.encode(event))
                .executeUpdate();
    }
}
