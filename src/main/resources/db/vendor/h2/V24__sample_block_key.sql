-- H2: sample_block keyed by one BIGINT, block_key = series_id * 2^27 + hour_start / 3600
-- (store/BlockKeys). H2 keeps a table's rows in a map by a single integer primary key; a composite
-- key is a second map beside it (a unique index), which every insert also writes and every read
-- also looks up. A series' hours are a range of block_key. No foreign key to series: H2 would add
-- an index on series_id for it (series are never deleted; the writers take ids from series).
-- PostgreSQL keeps its composite key on the partitioned table.
DROP VIEW IF EXISTS sample_hours;
CREATE TABLE sample_block_keyed (
    block_key     BIGINT           PRIMARY KEY,
    series_id     BIGINT           NOT NULL,
    hour_start    BIGINT           NOT NULL,
    sample_count  INTEGER          NOT NULL,
    first_millis  BIGINT           NOT NULL,
    last_millis   BIGINT           NOT NULL,
    value_sum     DOUBLE PRECISION NOT NULL,
    value_min     DOUBLE PRECISION NOT NULL,
    value_max     DOUBLE PRECISION NOT NULL,
    first_value   DOUBLE PRECISION NOT NULL,
    last_value    DOUBLE PRECISION NOT NULL,
    samples       BYTEA            NOT NULL,
    minutes       BYTEA            NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO sample_block_keyed
    SELECT series_id * 134217728 + hour_start / 3600, series_id, hour_start, sample_count, first_millis,
           last_millis, value_sum, value_min, value_max, first_value, last_value, samples, minutes, updated_at
    FROM sample_block ORDER BY series_id, hour_start;
DROP TABLE sample_block;
ALTER TABLE sample_block_keyed RENAME TO sample_block;
COMMENT ON TABLE sample_block IS 'one row per series and UTC hour: encoded samples, minute rollups, the hour rollup';
CREATE VIEW sample_hours AS
    SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
           first_value, last_value, minutes
    FROM sample_block
    UNION ALL
    SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
           first_value, last_value, minutes
    FROM sample_rollup;
