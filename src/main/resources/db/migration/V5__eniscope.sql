-- Eniscope channels found by discovery (or configured), each with the watermark of its readings.
CREATE TABLE eniscope_channel (
    account          VARCHAR(64)  NOT NULL,
    channel_id       VARCHAR(32)  NOT NULL,
    name             VARCHAR(255),
    uuid             VARCHAR(64),
    device_id        VARCHAR(32),
    organization_id  VARCHAR(32),
    meter_id         VARCHAR(64)  NOT NULL,
    watermark        BIGINT,
    last_poll        TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(1024),
    PRIMARY KEY (account, channel_id)
);
