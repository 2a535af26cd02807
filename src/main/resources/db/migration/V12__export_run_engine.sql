-- The engine (pid@host) running a scheduled export window: a run left 'running' by an engine
-- that died is taken over and run again.
ALTER TABLE export_run ADD COLUMN engine VARCHAR(255);
