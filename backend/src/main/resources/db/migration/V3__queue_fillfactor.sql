-- Every lease and every judgment updates its task row (leased_count, judgment_count). Leaving a fifth of
-- each page free lets the lease's update (leased_count is in no index) stay on its page as a heap-only
-- tuple: no new entries in the primary key and queue indexes, less for vacuum to clean up. Applies to
-- pages written from now on, which is where imported tasks go.
ALTER TABLE comparison_task SET (fillfactor = 80);
