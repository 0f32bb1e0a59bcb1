package dev.rlhf.backend.outbox;

import dev.rlhf.events.EventCodec;
import dev.rlhf.events.RlhfEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Writes events into the outbox, inside the caller's transaction: the event exists iff the change does. */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final EventCodec codec = new EventCodec();

    Outbox(EntityManager em) {
        this.em = em;
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
