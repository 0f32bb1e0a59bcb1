-- The queue walks tasks by judgments plus live leases: a leased task is a judgment on its way. Ordering by
-- judgments alone put every leased task of a campaign with overlap 1 at the front of the walk, where each
-- lease had to step over all of them (one heap visit each) before reaching a task with room.
DROP INDEX comparison_task_queue;
CREATE INDEX comparison_task_queue
    ON comparison_task (campaign_id, gold, model_certainty, (judgment_count + leased_count), id);
