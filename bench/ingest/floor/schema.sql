-- The least PostgreSQL work a judgment needs, whatever the code around it: the tables keep only the columns and
-- indexes the issue's rules need (a lease recorded with its display order, once per rater and task; a judgment stored
-- with its idempotency key and its outbox row in one transaction; the task's counters), and each step is one
-- PL/pgSQL call of plain statements. Loaded into a database of its own by run.sh.
CREATE TABLE task (
    id             bigint PRIMARY KEY,
    judgment_count int NOT NULL DEFAULT 0,
    leased_count   int NOT NULL DEFAULT 0,
    load           int GENERATED ALWAYS AS (judgment_count + leased_count) STORED
) WITH (fillfactor = 80);
INSERT INTO task (id) SELECT g FROM generate_series(1, 200000) g;
CREATE INDEX task_queue ON task (load, id);

CREATE TABLE assignment (
    id            uuid PRIMARY KEY,
    task_id       bigint NOT NULL REFERENCES task,
    rater_id      int NOT NULL,
    display_order jsonb NOT NULL,
    state         text NOT NULL,
    leased_at     timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    closed_at     timestamptz
);
CREATE UNIQUE INDEX assignment_once_per_rater ON assignment (task_id, rater_id);

CREATE TABLE judgment (
    id              uuid PRIMARY KEY,
    assignment_id   uuid NOT NULL REFERENCES assignment,
    task_id         bigint NOT NULL,
    rater_id        int NOT NULL,
    outcome         text NOT NULL,
    strength        smallint,
    criteria        jsonb,
    flags           jsonb,
    rationale       text,
    idempotency_key text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    UNIQUE (rater_id, idempotency_key)
);

CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    event_id   uuid NOT NULL,
    topic      text NOT NULL,
    event_key  text NOT NULL,
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- A lease of a task the caller names: only the assignment row (and the task's counter), committed asynchronously
-- as the platform's lease is. No queue walk: this is the floor of the writes alone.
CREATE FUNCTION floor_lease(p_task bigint, p_rater int, OUT aid uuid, OUT tid bigint) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    aid := gen_random_uuid();
    tid := p_task;
    INSERT INTO assignment VALUES (aid, tid, p_rater, '[1, 0]', 'LEASED', now(), now() + interval '10 minutes', NULL);
    UPDATE task SET leased_count = leased_count + 1 WHERE id = tid;
END $$;

-- A lease as the queue rules pick it: the rater's calls serialised, the first task by load with room (overlap 3)
-- that this rater has not seen, locked without waiting for other raters' locks.
CREATE FUNCTION floor_pick(p_rater int, OUT aid uuid, OUT tid bigint) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM pg_advisory_xact_lock(p_rater);
    SELECT t.id INTO tid FROM task t
    WHERE t.load < 3
      AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.rater_id = p_rater OFFSET 0)
    ORDER BY t.load, t.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED;
    aid := gen_random_uuid();
    INSERT INTO assignment VALUES (aid, tid, p_rater, '[1, 0]', 'LEASED', now(), now() + interval '10 minutes', NULL);
    UPDATE task SET leased_count = leased_count + 1 WHERE id = tid;
END $$;

-- A submit: the judgment, the assignment closed, the counters moved, a 1.4 KB event in the outbox; one synchronous
-- commit.
CREATE FUNCTION floor_judge(p_aid uuid, p_task bigint, p_rater int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO judgment VALUES (gen_random_uuid(), p_aid, p_task, p_rater, 'A', 2, '{}', '[]', NULL, p_aid::text, now());
    UPDATE assignment SET state = 'SUBMITTED', closed_at = now() WHERE id = p_aid;
    UPDATE task SET judgment_count = judgment_count + 1, leased_count = leased_count - 1 WHERE id = p_task;
    INSERT INTO outbox (event_id, topic, event_key, payload)
    VALUES (gen_random_uuid(), 'rlhf.judgments', p_task::text, convert_to(repeat(md5(p_aid::text), 45), 'UTF8'));
END $$;

-- The same writes for a batch of judgments in one call each (what the platform could reach by writing the leases and
-- the submits of many raters together): one lease call for 10 random tasks, then one submit call for the 10.
CREATE FUNCTION floor_lease_batch(p_rater int, p_size int, OUT aids uuid[], OUT tids bigint[]) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    WITH leased AS (
        INSERT INTO assignment
        SELECT gen_random_uuid(), 1 + floor(random() * 200000)::bigint, p_rater + g, '[1, 0]', 'LEASED', now(),
               now() + interval '10 minutes', NULL
        FROM generate_series(1, p_size) g
        RETURNING id, task_id),
    counted AS (
        UPDATE task t SET leased_count = t.leased_count + 1 FROM leased WHERE t.id = leased.task_id)
    SELECT array_agg(id), array_agg(task_id) INTO aids, tids FROM leased;
END $$;

CREATE FUNCTION floor_judge_batch(p_aids uuid[], p_tids bigint[], p_rater int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH open AS (SELECT * FROM unnest(p_aids, p_tids) WITH ORDINALITY AS o(aid, tid, n)),
    stored AS (
        INSERT INTO judgment
        SELECT gen_random_uuid(), open.aid, open.tid, p_rater + open.n, 'A', 2, '{}', '[]', NULL, open.aid::text, now()
        FROM open RETURNING assignment_id, task_id),
    closed AS (
        UPDATE assignment a SET state = 'SUBMITTED', closed_at = now() FROM stored WHERE a.id = stored.assignment_id),
    counted AS (
        UPDATE task t SET judgment_count = t.judgment_count + 1, leased_count = t.leased_count - 1
        FROM (SELECT task_id, count(*) AS n FROM stored GROUP BY task_id) s WHERE t.id = s.task_id)
    INSERT INTO outbox (event_id, topic, event_key, payload)
    SELECT gen_random_uuid(), 'rlhf.judgments', stored.task_id::text,
           convert_to(repeat(md5(stored.assignment_id::text), 45), 'UTF8')
    FROM stored;
END $$;

-- Leases picked by the queue's rules for a batch of raters in one call (one transaction), then their submits in one
-- call: what leasing for many raters together would cost. Later picks in the call see the earlier ones' counters.
CREATE FUNCTION floor_pick_batch(p_rater int, p_size int, OUT aids uuid[], OUT tids bigint[]) LANGUAGE plpgsql AS $$
DECLARE
    leased record;
BEGIN
    FOR g IN 1 .. p_size LOOP
        SELECT * INTO leased FROM floor_pick(p_rater + g);
        aids := aids || leased.aid;
        tids := tids || leased.tid;
    END LOOP;
END $$;
