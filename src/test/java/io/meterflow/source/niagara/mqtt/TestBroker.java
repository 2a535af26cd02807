package io.meterflow.source.niagara.mqtt;

import io.meterflow.settings.EngineSettings;

/** A real MQTT 5 broker a test runs and can restart: its state (sessions, queued messages) survives a restart. */
interface TestBroker extends AutoCloseable {

    String url();

    TestBroker start() throws Exception;

    /** Stops it as a service stop would: sessions and queued QoS 1 messages are kept. */
    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }

    /** Subscription settings for a subscriber of a test: 60 s session, reconnect every 200 ms. */
    static EngineSettings.Mqtt subscription(
            String url, String topic, String clientId, String user, String password, String caFile) {
        return new EngineSettings.Mqtt(
                true, url, topic, clientId, 60, new EngineSettings.Credentials(user, password), 200, caFile);
    }
}
