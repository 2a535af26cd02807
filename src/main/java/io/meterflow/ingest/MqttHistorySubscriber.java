package io.meterflow.ingest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable MQTT 5 subscription: fixed client id, persistent session (clean start off, session
 * expiry), QoS 1, and each message acknowledged only after {@code handler} returned (its data
 * committed); a handler that throws leaves the message unacknowledged, so the broker redelivers
 * it after the next reconnect.
 *
 * <p>Why not Camel's paho-mqtt5 consumer: it sets its callback only after {@code connect()}, so
 * the messages a resumed session delivers right after CONNACK reach no callback, are never
 * acknowledged and block the broker's in-flight window (seen with Mosquitto: 15 of 20 frames
 * lost until the next reconnect); and Paho's own automatic reconnect can hang. Here the callback
 * is set before connecting, and a lost connection is re-established with a fresh client every
 * {@code retryMillis} until the broker answers.
 */
public final class MqttHistorySubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttHistorySubscriber.class);

    /**
     * Where and how to subscribe. Empty user name: anonymous. {@code caFile}: a PEM file of the
     * certificates to trust for an {@code ssl://} broker (empty: the JVM's trust store).
     */
    public record Settings(String brokerUrl, String topic, String clientId, long sessionExpirySeconds, String userName,
                           String password, long retryMillis, String caFile) {
    }

    private final Settings settings;
    private final BiConsumer<String, byte[]> handler;
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile MqttClient client;
    private volatile boolean running;

    public MqttHistorySubscriber(Settings settings, BiConsumer<String, byte[]> handler) {
        this.settings = settings;
        this.handler = handler;
    }

    public boolean isConnected() {
        MqttClient c = client;
        return c != null && c.isConnected();
    }

    public synchronized void start() {
        running = true;
        reconnects.execute(this::connect);
    }

    public synchronized void stop() {
        running = false;
        closeClient();
    }

    private synchronized void connect() {
        if (!running || isConnected()) {
            return;
        }
        closeClient();
        try {
            MqttClient c = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
            c.setManualAcks(true);
            c.setCallback(new Callback(c));
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(settings.sessionExpirySeconds());
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            if (settings.userName() != null && !settings.userName().isEmpty()) {
                options.setUserName(settings.userName());
                options.setPassword(settings.password() == null ? new byte[0] : settings.password().getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            if (settings.caFile() != null && !settings.caFile().isEmpty()) {
                options.setSocketFactory(PemTrust.context(java.nio.file.Path.of(settings.caFile())).getSocketFactory());
            }
            client = c;
            c.connect(options);
            c.subscribe(settings.topic(), 1);
            LOG.info("mqtt subscribed broker={} topic={} client={}", settings.brokerUrl(), settings.topic(), settings.clientId());
        } catch (MqttException e) {
            LOG.warn("mqtt cannot connect to {} ({}); retrying in {} ms", settings.brokerUrl(), e.getMessage(),
                    settings.retryMillis());
            closeClient();
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (running) {
            reconnects.schedule(this::connect, settings.retryMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeClient() {
        MqttClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000);
            }
        } catch (MqttException ignored) {
            // going away anyway
        }
        try {
            c.close(true);
        } catch (MqttException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() {
        stop();
        reconnects.shutdownNow();
    }

    /** Handles messages of one client; a stale client's events are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttClient owner;

        Callback(MqttClient owner) {
            this.owner = owner;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            handler.accept(topic, message.getPayload());
            owner.messageArrivedComplete(message.getId(), message.getQos());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (owner == client && running) {
                LOG.warn("mqtt connection lost ({}); reconnecting", response.getReasonString());
                scheduleReconnect();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("mqtt error: {}", exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
