-- PostgreSQL: sample_block partitioned by time, one partition per UTC month of hour_start
-- (sample_block_yYYYYmMM), so that old months can be dropped whole (see the raw retention) and a
-- month's blocks stay together. The engine creates the partition of a month before it first
-- writes into it; this migration moves the blocks stored so far into their months' partitions.
-- It may run after V20 (databases made before the engine applied its vendor migrations): the view
-- of V20 is then dropped here and made again at the end.
DROP VIEW IF EXISTS sample_hours;
ALTER TABLE sample_block RENAME TO sample_block_unpartitioned;
ALTER INDEX sample_block_pkey RENAME TO sample_block_unpartitioned_pkey;
CREATE TABLE sample_block (LIKE sample_block_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (hour_start);
ALTER TABLE sample_block ADD PRIMARY KEY (series_id, hour_start);
ALTER TABLE sample_block ADD FOREIGN KEY (series_id) REFERENCES series (id);
DO $$
DECLARE
    first_day DATE;
BEGIN
    FOR first_day IN
        SELECT DISTINCT CAST(date_trunc('month', to_timestamp(hour_start) AT TIME ZONE 'UTC') AS DATE)
        FROM sample_block_unpartitioned
    LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF sample_block FOR VALUES FROM (%s) TO (%s)',
            'sample_block_y' || to_char(first_day, 'YYYY') || 'm' || to_char(first_day, 'MM'),
            CAST(extract(epoch FROM CAST(first_day AS TIMESTAMP)) AS BIGINT),
            CAST(extract(epoch FROM CAST(first_day + INTERVAL '1 month' AS TIMESTAMP)) AS BIGINT));
    END LOOP;
END
$$;
INSERT INTO sample_block SELECT * FROM sample_block_unpartitioned;
DROP TABLE sample_block_unpartitioned;
DO $$
BEGIN
    IF to_regclass('sample_rollup') IS NOT NULL THEN
        CREATE VIEW sample_hours AS
            SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
                   first_value, last_value, minutes
            FROM sample_block
            UNION ALL
            SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
                   first_value, last_value, minutes
            FROM sample_rollup;
    END IF;
END
$$;
