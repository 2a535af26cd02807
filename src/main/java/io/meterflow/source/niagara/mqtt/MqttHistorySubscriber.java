package io.meterflow.source.niagara.mqtt;

import io.meterflow.settings.ConfigException;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
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
 * committed). Up to {@link #PARALLEL_MESSAGES} messages are stored at once, so their commits share
 * transactions, and acknowledged in the order they arrived ({@link OrderedAcks}); a handler that
 * throws leaves that message and every later one unacknowledged and drops the connection, so the
 * broker redelivers them after the reconnect.
 *
 * <p>Why not Camel's paho-mqtt5 consumer: it sets its callback only after {@code connect()}, so
 * the messages a resumed session delivers right after CONNACK reach no callback, are never
 * acknowledged and block the broker's in-flight window (seen with Mosquitto: 15 of 20 frames
 * lost until the next reconnect); and Paho's own automatic reconnect can hang. Here the callback
 * is set before connecting, and a lost connection is re-established with a fresh client every
 * {@code reconnect-ms} until the broker answers.
 */
public final class MqttHistorySubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttHistorySubscriber.class);

    private final EngineSettings.Mqtt settings;
    private volatile BiConsumer<String, byte[]> handler;
    private volatile Runnable acknowledged = () -> {};
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mqtt-reconnect");
        t.setDaemon(true);
        return t;
    });
    /** Messages stored at once: their commits share the writer's transactions. */
    static final int PARALLEL_MESSAGES = 32;

    /** At most this many messages are delivered to the engine and not yet acknowledged (MQTT 5 receive maximum). */
    static final int RECEIVE_MAXIMUM = 64;

    private final ExecutorService storing = Executors.newFixedThreadPool(PARALLEL_MESSAGES, new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mqtt-store-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    private volatile MqttClient client;
    private volatile boolean running;
    private volatile Instant disconnectedSince = Instant.now();
    private volatile String lastProblem;

    /**
     * A subscriber for {@code settings}, not yet connected. A CA file that is not a PEM certificate
     * file stops the engine at start, naming the key.
     */
    public MqttHistorySubscriber(EngineSettings.Mqtt settings) {
        this.settings = settings;
        if (!settings.caFile().isEmpty()) {
            try {
                PemTrust.context(Path.of(settings.caFile()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(Setting.MQTT_CA_FILE.key() + ": " + e.getMessage());
            }
        }
    }

    /** A subscriber that hands each message to {@code handler} before acknowledging it. */
    public MqttHistorySubscriber(EngineSettings.Mqtt settings, BiConsumer<String, byte[]> handler) {
        this(settings);
        deliverTo(handler);
    }

    /** Where each message goes (the route that stores it) before it is acknowledged; set before {@link #start()}. */
    public void deliverTo(BiConsumer<String, byte[]> handler) {
        this.handler = handler;
    }

    /** Called after each acknowledgement sent to the broker (for the metrics); set before {@link #start()}. */
    public void onAcknowledged(Runnable acknowledged) {
        this.acknowledged = acknowledged;
    }

    /** Since when it has not been connected (its start, or the lost connection); null while connected. */
    public Instant disconnectedSince() {
        return isConnected() ? null : disconnectedSince;
    }

    /** Why the last connection attempt failed or the connection was lost; null when none failed. */
    public String lastProblem() {
        return lastProblem;
    }

    public boolean isConnected() {
        MqttClient c = client;
        return c != null && c.isConnected();
    }

    /** Connects in the background and keeps the subscription up until {@link #stop()}. */
    public synchronized void start() {
        if (handler == null) {
            throw new IllegalStateException("no handler to deliver MQTT messages to");
        }
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
            client = c;
            c.connect(options());
            c.subscribe(settings.topic(), 1);
            lastProblem = null;
            LOG.info(
                    "mqtt subscribed broker={} topic={} client={}",
                    settings.brokerUrl(),
                    settings.topic(),
                    settings.clientId());
        } catch (MqttException e) {
            if (lastProblem == null) { // once per outage, not at every attempt
                LOG.warn(
                        "mqtt cannot connect to {} ({}); retrying every {} ms",
                        settings.brokerUrl(),
                        e.getMessage(),
                        settings.reconnectMillis());
            }
            lastProblem = "cannot connect: " + e.getMessage();
            closeClient();
            scheduleReconnect();
        }
    }

    /** Resuming the persistent session, with the broker's credentials and trust. */
    private MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setReceiveMaximum(RECEIVE_MAXIMUM);
        EngineSettings.Credentials credentials = settings.credentials();
        if (!credentials.user().isEmpty()) {
            options.setUserName(credentials.user());
            options.setPassword(credentials.password().getBytes(StandardCharsets.UTF_8));
        }
        if (!settings.caFile().isEmpty()) {
            // read at every connect, so that a renewed certificate takes effect
            options.setSocketFactory(
                    PemTrust.context(Path.of(settings.caFile())).getSocketFactory());
        }
        return options;
    }

    /**
     * Empties and ends the persistent session of another (dead) engine: connects under its client
     * id, unsubscribes (the broker sends that session nothing new: the live members of a shared
     * subscription get it), hands every frame the broker had queued for it to the handler and
     * acknowledges it, and once none came for {@code quiet}, disconnects with a session expiry of
     * zero, which ends the session. When the handler fails the session is left as it was (plain
     * disconnect), so nothing it held is lost, and the failure is thrown.
     *
     * @return the frames taken
     */
    public long drain(String clientId, Duration quiet) throws Exception {
        AtomicLong taken = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        AtomicReference<Exception> failure = new AtomicReference<>();
        MqttAsyncClient c = new MqttAsyncClient(settings.brokerUrl(), clientId, new MemoryPersistence());
        try {
            c.setManualAcks(true);
            c.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) throws Exception {
                    lastNanos.set(System.nanoTime());
                    if (failure.get() != null) {
                        return; // not acknowledged: stays with the session
                    }
                    try {
                        handler.accept(topic, message.getPayload());
                        c.messageArrivedComplete(message.getId(), message.getQos());
                        taken.incrementAndGet();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    failure.compareAndSet(
                            null, new IllegalStateException("disconnected: " + response.getReasonString()));
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            c.connect(options()).waitForCompletion(15_000);
            c.unsubscribe(settings.topic()).waitForCompletion(15_000);
            while (failure.get() == null && System.nanoTime() - lastNanos.get() < quiet.toNanos()) {
                Thread.sleep(50);
            }
            if (failure.get() != null) {
                if (c.isConnected()) {
                    c.disconnect(5_000).waitForCompletion(10_000);
                }
                throw failure.get();
            }
            MqttProperties end = new MqttProperties();
            end.setSessionExpiryInterval(0L);
            c.disconnect(5_000, null, null, 0, end).waitForCompletion(10_000);
            return taken.get();
        } finally {
            c.close(true);
        }
    }

    private void scheduleReconnect() {
        if (running) {
            reconnects.schedule(this::connect, settings.reconnectMillis(), TimeUnit.MILLISECONDS);
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

    /** A message of {@code owner} could not be stored: drops that connection, so the broker redelivers. */
    private synchronized void dropAfterFailure(MqttClient owner, String problem) {
        if (owner != client || !running) {
            return;
        }
        LOG.warn("mqtt message not stored ({}); reconnecting, the broker delivers it again", problem);
        disconnectedSince = Instant.now();
        lastProblem = "message not stored: " + problem;
        closeClient();
        scheduleReconnect();
    }

    @Override
    public void close() {
        stop();
        reconnects.shutdownNow();
        storing.shutdown();
    }

    /** Handles messages of one client; a stale client's events are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttClient owner;
        private final OrderedAcks acks;

        Callback(MqttClient owner) {
            this.owner = owner;
            this.acks = new OrderedAcks(
                    (id, qos) -> {
                        owner.messageArrivedComplete(id, qos);
                        acknowledged.run();
                    },
                    e -> reconnects.execute(() -> dropAfterFailure(owner, "acknowledgement failed: " + e)));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            OrderedAcks.Ticket ticket = acks.received(message.getId(), message.getQos());
            byte[] payload = message.getPayload();
            storing.execute(() -> {
                try {
                    handler.accept(topic, payload);
                    acks.stored(ticket);
                } catch (RuntimeException e) {
                    acks.failed();
                    reconnects.execute(() -> dropAfterFailure(owner, e.toString()));
                }
            });
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (owner == client && running) {
                disconnectedSince = Instant.now();
                lastProblem = "connection lost: " + response.getReasonString();
                LOG.warn("mqtt connection lost ({}); reconnecting", response.getReasonString());
                scheduleReconnect();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("mqtt error: {}", exception.toString());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
