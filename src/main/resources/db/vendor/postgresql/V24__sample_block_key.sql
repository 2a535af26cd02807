-- H2 only (see db/vendor/h2): PostgreSQL keeps sample_block's composite primary key, which its
-- monthly partitions need (a partitioned table's key includes the partition column).
SELECT 1;
