-- The annotation service's schema. Counters on comparison_task are maintained in the same
-- transaction as the rows they count, so the queue can lock one row and decide capacity from it.

CREATE TABLE account (
    id            uuid PRIMARY KEY,
    username      varchar(64)  NOT NULL UNIQUE,
    display_name  varchar(200),
    password_hash varchar(100),
    roles         varchar(100) NOT NULL,
    enabled       boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL
);

CREATE TABLE auth_session (
    token_hash varchar(64) PRIMARY KEY,
    account_id uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX auth_session_account ON auth_session (account_id);

-- One row: secrets the installation generates for itself on first start (never in the repo).
CREATE TABLE installation (
    id               smallint PRIMARY KEY CHECK (id = 1),
    pseudonym_secret varchar(128) NOT NULL,
    created_at       timestamptz  NOT NULL
);

CREATE TABLE campaign (
    id                uuid PRIMARY KEY,
    name              varchar(200)     NOT NULL,
    description       text,
    status            varchar(16)      NOT NULL,
    overlap           int              NOT NULL CHECK (overlap BETWEEN 1 AND 50),
    gold_ratio        double precision NOT NULL CHECK (gold_ratio >= 0 AND gold_ratio <= 1),
    lease_minutes     int              NOT NULL CHECK (lease_minutes BETWEEN 1 AND 240),
    form              jsonb            NOT NULL,
    guideline_version int              NOT NULL,
    created_by        uuid REFERENCES account (id),
    created_at        timestamptz      NOT NULL,
    version           bigint           NOT NULL DEFAULT 0
);

CREATE TABLE guideline (
    campaign_id uuid        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    version     int         NOT NULL,
    markdown    text        NOT NULL,
    created_by  uuid REFERENCES account (id),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, version)
);

CREATE TABLE prompt (
    id          uuid PRIMARY KEY,
    campaign_id uuid        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    messages    jsonb       NOT NULL,
    tags        jsonb       NOT NULL,
    source      varchar(200),
    position    int         NOT NULL, -- line of its import, so listings keep the file's order
    created_at  timestamptz NOT NULL
);
CREATE INDEX prompt_campaign ON prompt (campaign_id, created_at, position);

CREATE TABLE completion (
    id            uuid PRIMARY KEY,
    prompt_id     uuid        NOT NULL REFERENCES prompt (id) ON DELETE CASCADE,
    text          text        NOT NULL,
    model_id      varchar(200),
    model_version varchar(100),
    external_name varchar(200),
    sampling      jsonb,
    token_count   int,
    position      int         NOT NULL, -- order within its prompt as imported
    created_at    timestamptz NOT NULL
);
CREATE INDEX completion_prompt ON completion (prompt_id, position);

CREATE TABLE comparison_task (
    id             uuid PRIMARY KEY,
    campaign_id    uuid        NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    prompt_id      uuid        NOT NULL REFERENCES prompt (id) ON DELETE CASCADE,
    completion_ids jsonb       NOT NULL, -- canonical order; display order lives on the assignment
    gold           boolean     NOT NULL DEFAULT false,
    gold_answer    jsonb,
    judgment_count int         NOT NULL DEFAULT 0,
    leased_count   int         NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL
);
-- The queue walks this index in order: fewest judgments first.
CREATE INDEX comparison_task_queue ON comparison_task (campaign_id, gold, judgment_count, id);

CREATE TABLE assignment (
    id            uuid PRIMARY KEY,
    task_id       uuid        NOT NULL REFERENCES comparison_task (id) ON DELETE CASCADE,
    campaign_id   uuid        NOT NULL,
    rater_id      uuid        NOT NULL REFERENCES account (id),
    display_order jsonb       NOT NULL, -- display position -> canonical completion index
    state         varchar(16) NOT NULL,
    skip_reason   varchar(500),
    leased_at     timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    closed_at     timestamptz
);
CREATE INDEX assignment_task_rater ON assignment (task_id, rater_id);
CREATE INDEX assignment_live_lease ON assignment (rater_id, campaign_id) WHERE state = 'LEASED';
CREATE INDEX assignment_expiry ON assignment (expires_at) WHERE state = 'LEASED';

CREATE TABLE judgment (
    id                uuid PRIMARY KEY,
    assignment_id     uuid         NOT NULL UNIQUE REFERENCES assignment (id),
    task_id           uuid         NOT NULL REFERENCES comparison_task (id) ON DELETE CASCADE,
    campaign_id       uuid         NOT NULL,
    rater_id          uuid         NOT NULL REFERENCES account (id),
    guideline_version int          NOT NULL,
    gold              boolean      NOT NULL,
    outcome           varchar(16)  NOT NULL,
    strength          smallint CHECK (strength BETWEEN 1 AND 3),
    ranking           jsonb,
    criteria          jsonb        NOT NULL,
    rationale         text,
    corrected_answer  text,
    flags             jsonb        NOT NULL,
    time_on_task_ms   bigint,
    idempotency_key   varchar(100) NOT NULL,
    submitted_at      timestamptz  NOT NULL,
    CONSTRAINT judgment_idempotency UNIQUE (rater_id, idempotency_key),
    CONSTRAINT judgment_once_per_rater UNIQUE (task_id, rater_id)
);
CREATE INDEX judgment_campaign ON judgment (campaign_id, submitted_at);

-- A rater holds at most one open or finished assignment per task: a second lease of the same task by
-- the same rater is impossible even under concurrent requests.
CREATE UNIQUE INDEX assignment_once_per_rater ON assignment (task_id, rater_id)
    WHERE state IN ('LEASED', 'SUBMITTED', 'SKIPPED');
