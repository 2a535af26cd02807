-- Eniscope reference data found by discovery, per account: the organizations the API user sees
-- and their devices (channels, in eniscope_channel, name their device and organization).
CREATE TABLE eniscope_organization (
    account          VARCHAR(64)  NOT NULL,
    organization_id  VARCHAR(32)  NOT NULL,
    name             VARCHAR(255),
    parent_id        VARCHAR(32),
    time_zone        VARCHAR(64),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account, organization_id)
);

CREATE TABLE eniscope_device (
    account          VARCHAR(64)  NOT NULL,
    device_id        VARCHAR(32)  NOT NULL,
    name             VARCHAR(255),
    uuid             VARCHAR(64),
    device_type_id   VARCHAR(32),
    device_type_name VARCHAR(255),
    organization_id  VARCHAR(32),
    time_zone        VARCHAR(64),
    status           VARCHAR(16),
    registered       BIGINT,
    expires          BIGINT,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account, device_id)
);
