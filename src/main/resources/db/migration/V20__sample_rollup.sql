-- The raw retention (meterflow.store.raw-retention-days): the blocks of months older than the
-- retention are moved here without their raw samples, keeping their minute and hour rollups, so
-- exports of old ranges at a minute and coarser still come out exact. sample_hours shows both:
-- every series-hour is in one of the two tables, the older ones here.
CREATE TABLE sample_rollup (
    series_id     BIGINT           NOT NULL REFERENCES series (id),
    hour_start    BIGINT           NOT NULL,
    sample_count  INTEGER          NOT NULL,
    first_millis  BIGINT           NOT NULL,
    last_millis   BIGINT           NOT NULL,
    value_sum     DOUBLE PRECISION NOT NULL,
    value_min     DOUBLE PRECISION NOT NULL,
    value_max     DOUBLE PRECISION NOT NULL,
    first_value   DOUBLE PRECISION NOT NULL,
    last_value    DOUBLE PRECISION NOT NULL,
    minutes       BYTEA            NOT NULL,
    PRIMARY KEY (series_id, hour_start)
);

CREATE VIEW sample_hours AS
    SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
           first_value, last_value, minutes
    FROM sample_block
    UNION ALL
    SELECT series_id, hour_start, sample_count, first_millis, last_millis, value_sum, value_min, value_max,
           first_value, last_value, minutes
    FROM sample_rollup;

-- Raw samples are kept from this hour (epoch seconds) on; 0: all of them.
CREATE TABLE store_state (
    name   VARCHAR(64) PRIMARY KEY,
    amount BIGINT      NOT NULL
);
INSERT INTO store_state (name, amount) VALUES ('raw_retained_from', 0);
