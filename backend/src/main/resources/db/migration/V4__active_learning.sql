-- Active learning: a campaign may ask the queue to serve first the pairs the reward model is least sure about.
ALTER TABLE campaign ADD COLUMN prefer_uncertain boolean NOT NULL DEFAULT false;

-- |P(A>B) - 0.5| under the reward model (for an N-way task: its least certain pair), and the version that
-- scored it. NULL when unscored: campaigns without the option never have one.
ALTER TABLE comparison_task ADD COLUMN model_certainty real CHECK (model_certainty BETWEEN 0 AND 0.5);
ALTER TABLE comparison_task ADD COLUMN certainty_version int;

-- The queue walks this index in order: least certain first (NULL, unscored, sorts last, so a campaign
-- without the option keeps the plain order), then fewest judgments, then id.
DROP INDEX comparison_task_queue;
CREATE INDEX comparison_task_queue ON comparison_task (campaign_id, gold, model_certainty, judgment_count, id);
