-- Runs of scheduled exports: one row per (definition, window); a re-run replaces it.
CREATE TABLE export_run (
    definition     VARCHAR(64)   NOT NULL,
    window_start   BIGINT        NOT NULL,
    window_end     BIGINT        NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE,
    status         VARCHAR(16)   NOT NULL,
    trigger_kind   VARCHAR(16)   NOT NULL,
    rows_written   BIGINT,
    file_name      VARCHAR(255),
    file_path      VARCHAR(1024),
    folder_status  VARCHAR(16),
    http_status    VARCHAR(16),
    http_attempts  INTEGER       NOT NULL,
    error          VARCHAR(1024),
    PRIMARY KEY (definition, window_start)
);
