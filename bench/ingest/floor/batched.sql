-- pgbench script: the writes of 10 judgments, leases in one call and submits in another (each call counts 10).
\set rater random(1, 1000000000)
SELECT aids, tids FROM floor_lease_batch(:rater, 10) \gset
SELECT floor_judge_batch(CAST(:aids AS uuid[]), CAST(:tids AS bigint[]), :rater);
