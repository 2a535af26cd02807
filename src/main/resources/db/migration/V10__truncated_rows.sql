-- Per file: a last line cut short while the file was written, skipped rather than stored.
ALTER TABLE ingested_file ADD COLUMN truncated_rows BIGINT DEFAULT 0 NOT NULL;
