package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Mosquitto and HiveMQ do with the messages of a shared subscription when one member
 * crashes (its connection drops without a DISCONNECT), measured rather than assumed; the choice of
 * keeping a persistent session per engine and emptying a dead engine's session from a live one
 * (MqttSessions) rests on these findings, documented in docs/scaling.md.
 *
 * <p>Two members A and B of one group, QoS 1, persistent sessions. A takes messages without
 * acknowledging them (an engine killed while it stores them), then crashes; more messages are
 * published. What reaches B, and when?
 */
class SharedSubscriptionFailoverTest {

    @TempDir
    static Path dir;

    /** How the broker behaved. */
    record Finding(
            int inFlightAtCrash,
            int inFlightRedelivered,
            int beforeReachingB,
            int publishedAfter,
            int afterReachingB) {}

    static Stream<String> brokers() {
        return Stream.of("mosquitto", "hivemq");
    }

    private static TestBroker broker(String name, int port) throws Exception {
        return name.equals("mosquitto")
                ? new MosquittoBroker(dir.resolve(name), port).start()
                : new HiveMqBroker(dir.resolve(name), port).start();
    }

    private static MqttConnectionOptions session(long expirySeconds) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(expirySeconds);
        o.setAutomaticReconnect(false);
        return o;
    }

    /** A member whose callback records what it got; it acknowledges only when {@code ack}. */
    private static MqttClient member(String url, String id, String filter, long expiry, boolean ack, Set<String> got)
            throws MqttException {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setManualAcks(true);
        c.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                if (ack) {
                    c.messageArrivedComplete(message.getId(), message.getQos());
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        c.connect(session(expiry));
        c.subscribe(filter, 1);
        return c;
    }

    private static Finding measure(String url, String run, long expirySeconds) throws Exception {
        String topic = "failover/" + run;
        String filter = "$share/g" + run + "/" + topic;
        Set<String> gotA = ConcurrentHashMap.newKeySet();
        Set<String> gotB = ConcurrentHashMap.newKeySet();
        MqttClient a = member(url, "a-" + run, filter, expirySeconds, false, gotA);
        MqttClient b = member(url, "b-" + run, filter, 3600, true, gotB);
        try (HistoryPublisher pub = new HistoryPublisher(url, "pub-" + run)) {
            for (int i = 0; i < 40; i++) {
                pub.publish(topic, "m" + i);
            }
            // a broker may hold back what a member leaves unacknowledged: wait until nothing more arrives
            int[] seen = {-1};
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        int now = gotA.size() + gotB.size();
                        boolean quiet = now == seen[0];
                        seen[0] = now;
                        return quiet;
                    });
            Set<String> inFlight = Set.copyOf(gotA);
            int before = gotB.size();
            a.disconnectForcibly(0, 0, false); // a crash: the connection drops, no DISCONNECT
            a.close();
            for (int i = 40; i < 140; i++) {
                pub.publish(topic, "m" + i);
            }
            // wait past A's session expiry (and a little more for the broker to act on it)
            Thread.sleep((expirySeconds < 60 ? expirySeconds : 0) * 1000 + 3000);
            int redelivered = (int) inFlight.stream().filter(gotB::contains).count();
            int after = 0;
            for (int i = 40; i < 140; i++) {
                after += gotB.contains("m" + i) ? 1 : 0;
            }
            b.disconnect();
            b.close();
            return new Finding(inFlight.size(), redelivered, before, 100, after);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void what_a_crashed_member_leaves_behind(String name) throws Exception {
        int port = name.equals("mosquitto") ? 18601 : 18602;
        try (TestBroker broker = broker(name, port)) {
            Finding persistent = measure(broker.url(), name + "p", 3600);
            Finding expiring = measure(broker.url(), name + "e", 2);
            System.out.println("shared subscription failover " + name + ": persistent session " + persistent
                    + "; session expiring after 2 s " + expiring);
            if (name.equals("mosquitto")) {
                // Mosquitto keeps a crashed member's unacknowledged messages and its round-robin share
                // of new ones with its session, for as long as the session lives; when the session
                // expires they are dropped, not given to the group's other members
                assertTrue(persistent.inFlightAtCrash() > 0);
                assertEquals(0, persistent.inFlightRedelivered(), persistent.toString());
                assertTrue(persistent.afterReachingB() < 75, "a share waits for the dead session: " + persistent);
                assertEquals(0, expiring.inFlightRedelivered(), "dropped at expiry: " + expiring);
                assertTrue(expiring.afterReachingB() < 100, "what came before the expiry is dropped: " + expiring);
            } else {
                // HiveMQ gives a crashed member's unacknowledged messages to another member (MQTT 5
                // section 4.8.2) and sends new ones to the connected members only
                assertEquals(persistent.inFlightAtCrash(), persistent.inFlightRedelivered(), persistent.toString());
                assertEquals(100, persistent.afterReachingB(), persistent.toString());
                assertEquals(expiring.inFlightAtCrash(), expiring.inFlightRedelivered(), expiring.toString());
                assertEquals(100, expiring.afterReachingB(), expiring.toString());
            }
        }
    }
}
