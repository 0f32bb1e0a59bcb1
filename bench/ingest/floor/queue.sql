-- pgbench script: one judgment with the lease picked by the queue's rules; each pgbench client is one rater.
SELECT aid, tid FROM floor_pick(:client_id) \gset
SELECT floor_judge(CAST(:aid AS uuid), :tid, :client_id);
