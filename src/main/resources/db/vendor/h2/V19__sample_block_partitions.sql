-- H2 has no table partitions: sample_block stays one table (the raw retention deletes old rows);
-- on PostgreSQL this version partitions it by month.
COMMENT ON TABLE sample_block IS 'one row per series and UTC hour: encoded samples, minute rollups, the hour rollup';
