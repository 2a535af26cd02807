-- Asynchronous export jobs. They live here so that they survive a restart.
CREATE TABLE export_job (
    id              VARCHAR(36)   PRIMARY KEY,
    status          VARCHAR(16)   NOT NULL,
    request         VARCHAR(4000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    progress        INTEGER       NOT NULL,
    attempts        INTEGER       NOT NULL,
    filename        VARCHAR(255),
    file_path       VARCHAR(1024),
    file_size_bytes BIGINT,
    record_count    BIGINT,
    period_start    VARCHAR(40),
    period_end      VARCHAR(40),
    error_code      VARCHAR(64),
    error_message   VARCHAR(1024),
    error_details   VARCHAR(1024),
    expires_at      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX export_job_status ON export_job (status);
