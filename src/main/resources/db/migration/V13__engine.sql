-- The running engines: each beats every few seconds; one whose beat is older than the stale time
-- (or a process of the same host that no longer exists) is dead, and its unfinished work is taken over.
CREATE TABLE engine (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    host        VARCHAR(255) NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    beat_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
