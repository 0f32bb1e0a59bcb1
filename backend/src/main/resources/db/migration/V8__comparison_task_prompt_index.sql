-- Deleting a campaign cascades to its prompts, and from each deleted prompt to comparison_task.prompt_id. Without an
-- index there, every prompt of the campaign cost a scan of the whole task table (every campaign's tasks).
CREATE INDEX comparison_task_prompt ON comparison_task (prompt_id);
