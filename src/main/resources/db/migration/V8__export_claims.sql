-- Which engine took a scheduled fire of an export definition. Several engines sharing one
-- database all fire the same cron; the first to insert the (definition, fire time) row runs it.
CREATE TABLE export_claim (
    definition   VARCHAR(64)   NOT NULL,
    fire_time    BIGINT        NOT NULL,
    engine       VARCHAR(255)  NOT NULL,
    claimed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (definition, fire_time)
);
