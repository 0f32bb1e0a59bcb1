-- The queue's order (fewest judgments plus live leases first) as a stored column of its own, so that the queue index
-- names that column and not the two counters it adds up. A submit moves one from leased_count to judgment_count:
-- the sum stays, no indexed column changes, and PostgreSQL can update the task row in place (a heap-only update)
-- instead of adding a new entry to both of the row's indexes. Before, none of the counters' updates was heap-only,
-- and the entries each submit left behind in the queue index were among those every later lease walked past
-- (bench/README.md, ingest).
ALTER TABLE comparison_task ADD COLUMN load int GENERATED ALWAYS AS (judgment_count + leased_count) STORED;

DROP INDEX comparison_task_queue;
CREATE INDEX comparison_task_queue ON comparison_task (campaign_id, gold, model_certainty, load, id);
