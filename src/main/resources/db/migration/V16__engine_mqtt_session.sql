-- The MQTT client id whose persistent session an engine holds: when the engine dies, another one
-- connects under that id, takes the frames the broker queued for it, and ends the session.
ALTER TABLE engine ADD COLUMN mqtt_client_id VARCHAR(255);
