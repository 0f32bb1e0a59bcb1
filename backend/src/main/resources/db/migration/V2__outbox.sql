-- Transactional outbox: an event is written in the same transaction as the change it announces, and a
-- relay publishes rows in id order. Sent rows are kept for a while for audit, then deleted.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    event_id   uuid        NOT NULL UNIQUE,
    topic      varchar(100) NOT NULL,
    event_key  varchar(100) NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
