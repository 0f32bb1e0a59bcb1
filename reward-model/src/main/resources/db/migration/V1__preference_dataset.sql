-- The reward-model worker's own schema (`reward`): the judgment stream materialised as a preference dataset.
-- Every row is derived from rlhf.judgments and can be rebuilt from offset zero.

-- Where the judgment consumer has read up to, written in the same transaction as the rows below
-- (dev.rlhf.events.consume.JdbcMaterialiser creates it too if missing; Flyway owns it here).
CREATE TABLE event_positions (
    materialisation text   NOT NULL,
    topic           text   NOT NULL,
    partition_id    int    NOT NULL,
    next_offset     bigint NOT NULL,
    PRIMARY KEY (materialisation, topic, partition_id)
);

-- One conversation, identified by the SHA-256 of its messages: the unit of the train/validation split.
CREATE TABLE prompts (
    prompt_id text  PRIMARY KEY,
    messages  jsonb NOT NULL
);

-- Completion texts exactly as the raters saw them.
CREATE TABLE completions (
    completion_id uuid PRIMARY KEY,
    prompt_id     text NOT NULL REFERENCES prompts (prompt_id) ON DELETE CASCADE,
    text          text NOT NULL
);

-- One row per judgment event, whatever its verdict (ties and both-bad are kept here, they make no pairs).
CREATE TABLE judgments (
    seq               bigserial   UNIQUE,           -- arrival order: "judgments since the last version"
    event_id          uuid        PRIMARY KEY,      -- the pipeline's idempotency key
    judgment_id       uuid        NOT NULL UNIQUE,
    task_id           uuid        NOT NULL,
    campaign_id       uuid        NOT NULL,
    rater_id          text        NOT NULL,
    prompt_id         text        NOT NULL REFERENCES prompts (prompt_id) ON DELETE CASCADE,
    outcome           text        NOT NULL,
    strength          smallint,
    gold              boolean     NOT NULL,
    flags             text[]      NOT NULL,
    guideline_version int         NOT NULL,
    submitted_at      timestamptz NOT NULL,
    source_topic      text        NOT NULL,
    source_partition  int         NOT NULL,
    source_offset     bigint      NOT NULL,
    event             jsonb       NOT NULL          -- the whole event: rationale, criteria, sampling, ...
);

-- Preference pairs expanded from the verdicts: A/B give one, a ranking one per two distinct ranks.
CREATE TABLE preference_pairs (
    judgment_id uuid     NOT NULL REFERENCES judgments (judgment_id) ON DELETE CASCADE,
    origin      text     NOT NULL,                  -- RATER, or GOLD_ANSWER for a gold task's known answer
    chosen_id   uuid     NOT NULL REFERENCES completions (completion_id) ON DELETE CASCADE,
    rejected_id uuid     NOT NULL REFERENCES completions (completion_id) ON DELETE CASCADE,
    strength    smallint,
    kind        text     NOT NULL,                  -- PAIRWISE or RANKING
    PRIMARY KEY (judgment_id, origin, chosen_id, rejected_id)
);
CREATE INDEX preference_pairs_chosen ON preference_pairs (chosen_id);
