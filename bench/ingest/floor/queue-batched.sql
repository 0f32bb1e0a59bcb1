-- pgbench script: each client leases for 10 raters of its own in one call, by the queue's rules, then submits the 10
-- in one call.
SELECT aids, tids FROM floor_pick_batch(:client_id * 10, 10) \gset
SELECT floor_judge_batch(CAST(:aids AS uuid[]), CAST(:tids AS bigint[]), :client_id * 10);
