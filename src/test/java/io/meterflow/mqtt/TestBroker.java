package io.meterflow.mqtt;

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
}
