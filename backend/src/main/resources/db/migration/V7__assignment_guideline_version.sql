-- The guideline version a rater was shown with the task, recorded when the lease is taken: a judgment records the
-- version it was made under, and guidelines published while the task is on screen must not change it. NULL on
-- leases taken before this column existed; a submit of one falls back to the campaign's current version.
ALTER TABLE assignment ADD COLUMN guideline_version int;
