-- Which engine took a scheduled fire of a job (an export definition, a source poll). Several
-- engines sharing one database all fire the same crons; the first to insert the (job, fire time)
-- row runs it, the others skip that fire.
CREATE TABLE schedule_claim (
    job          VARCHAR(128)  NOT NULL,
    fire_time    BIGINT        NOT NULL,
    engine       VARCHAR(255)  NOT NULL,
    claimed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job, fire_time)
);
