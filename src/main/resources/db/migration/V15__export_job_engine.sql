-- The engine (pid@host) running an export job: only its jobs are queued again when it dies, and
-- only it may record the job's progress and result.
ALTER TABLE export_job ADD COLUMN engine VARCHAR(255);
