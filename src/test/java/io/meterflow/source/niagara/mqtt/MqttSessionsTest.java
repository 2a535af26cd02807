package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.settings.Setting;
import io.meterflow.store.Sql;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session of a dead engine on the machine's Mosquitto (127.0.0.1:1883): two members of one
 * shared subscription, one of them gone without ending its persistent session. The broker keeps
 * that member's share of the frames for it; the live engine takes them, ends the session, and
 * from then on receives every frame.
 */
class MqttSessionsTest {

    static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    private static MqttConnectionOptions persistent() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        return o;
    }

    /** The dead engine's entry in the engine list of /health. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> deadEngine(Engine engine) {
        List<Map<String, Object>> engines =
                (List<Map<String, Object>>) engine.api().health().check().get("engines");
        return engines.stream()
                .filter(e -> e.get("name").equals("1@dead-host"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_frames_a_dead_engines_session_holds_are_stored_by_a_live_engine() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String station = "Share" + run;
        String topic = "meterflow-it/" + station + "/histories";
        String shared = "$share/mf" + run + "/" + topic;
        String deadClient = "dead-" + run;

        // the dead engine: subscribed in the group with a persistent session, then gone
        MqttClient dead = new MqttClient(BROKER, deadClient, new MemoryPersistence());
        dead.connect(persistent());
        dead.subscribe(shared, 1);
        dead.disconnect();
        dead.close();

        try (Engine engine = TestEngines.start(
                dir,
                TestDatabases.h2(),
                Map.of(
                        Setting.MQTT_ENABLED.key(),
                        "true",
                        Setting.MQTT_BROKER_URL.key(),
                        BROKER,
                        Setting.MQTT_TOPIC.key(),
                        shared,
                        Setting.MQTT_CLIENT_ID.key(),
                        "live-" + run,
                        Setting.MQTT_RECONNECT.key(),
                        "500"))) {
            MqttHistorySubscriber live = engine.mqttSubscriber();
            live.deliverTo((t, payload) -> {
                try {
                    engine.niagaraFrames().ingest(payload, t);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            engine.mqttSessions().register();
            live.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(live::isConnected);
            // the dead engine's row: another host, no heartbeat for an hour
            Instant hourAgo = Instant.now().minusSeconds(3600);
            Sql.update(
                    engine.dataSource(),
                    "INSERT INTO engine (name, host, started_at, beat_at, mqtt_client_id)"
                            + " VALUES ('1@dead-host', 'dead-host', ?, ?, ?)",
                    Timestamp.from(hourAgo),
                    Timestamp.from(hourAgo),
                    deadClient);

            Instant t0 = Instant.parse("2025-12-01T07:00:00Z");
            try (HistoryPublisher pub = new HistoryPublisher(BROKER, "pub-" + run)) {
                for (int f = 0; f < 40; f++) {
                    pub.publish(
                            topic, HistoryPublisher.frame(station, "kW", t0.plusSeconds(f * 10L), 10, f * 10, "{ok}"));
                }
            }
            StoredSamples stored = new StoredSamples(engine);
            Thread.sleep(1_000);
            long before = stored.count(station, "kW");
            assertTrue(before < 400, "the dead member's share waits at the broker: " + before + " of 400 stored");

            assertEquals(deadClient, deadEngine(engine).get("mqtt_session"), "/health shows the session waiting");
            assertEquals(false, deadEngine(engine).get("alive"));
            Map<String, Object> health = engine.api().health().check();
            assertEquals("degraded", health.get("status"), "a session waiting an hour is a problem: " + health);
            assertTrue(health.get("problems").toString().contains("MQTT session " + deadClient), health.toString());

            long taken = engine.mqttSessions().drainOrphans();
            assertEquals(null, deadEngine(engine).get("mqtt_session"), "/health: emptied");
            health = engine.api().health().check();
            assertEquals("healthy", health.get("status"), health.toString());
            assertEquals(taken, ((Map<?, ?>) health.get("mqtt")).get("frames_taken_from_stopped_engines"));
            assertEquals(400 - before, taken * 10, "the frames the dead session held");
            stored.await(station, "kW", 400);
            assertEquals(399 * 400 / 2.0, stored.sum(station, "kW"), 1e-6);
            assertEquals(0, engine.mqttSessions().drainOrphans(), "taken once");

            // the session is ended: the group has one member left, which gets every frame
            try (HistoryPublisher pub = new HistoryPublisher(BROKER, "pub2-" + run)) {
                for (int f = 40; f < 50; f++) {
                    pub.publish(
                            topic, HistoryPublisher.frame(station, "kW", t0.plusSeconds(f * 10L), 10, f * 10, "{ok}"));
                }
            }
            stored.await(station, "kW", 500);
            MqttClient probe = new MqttClient(BROKER, deadClient, new MemoryPersistence());
            IMqttToken connected = probe.connectWithResult(persistent());
            assertFalse(connected.getSessionPresent(), "the dead engine's session no longer exists");
            probe.disconnect();
            probe.close();
        }
    }
}
