-- pgbench script: one judgment's writes on a random task (raters drawn from a large space, so no rule refuses).
\set task random(1, 200000)
\set rater random(1, 1000000000)
SELECT aid, tid FROM floor_lease(:task, :rater) \gset
SELECT floor_judge(CAST(:aid AS uuid), :tid, :rater);
