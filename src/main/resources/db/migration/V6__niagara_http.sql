-- Watermarks of the Niagara histories polled over HTTP (CSV exports and oBIX).
CREATE TABLE niagara_http_watermark (
    station     VARCHAR(128) NOT NULL,
    history     VARCHAR(512) NOT NULL,
    watermark   BIGINT       NOT NULL,
    PRIMARY KEY (station, history)
);
