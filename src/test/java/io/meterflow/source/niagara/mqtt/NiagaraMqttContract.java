package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.app.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * What the Niagara MQTT route must do against any real MQTT 5 broker (run by the test so that it
 * can be restarted), with a real H2 file database and real HTTP. Each test gets a fresh Camel
 * context with the same client id and database: a restart of the engine. Subclasses name the
 * broker and the engine's properties.
 */
abstract class NiagaraMqttContract {

    static final String TOPIC = "niagara/AmsShop/histories";

    /** The broker, started before the engine; {@link #httpPort()} the engine's HTTP port. */
    abstract TestBroker broker();

    abstract int httpPort();

    @BeanInject
    CamelContext context;

    private StoredSamples stored() {
        return new StoredSamples(context.getRegistry().lookupByNameAndType("engine", Engine.class));
    }

    private long query(String sql, Object... args) throws Exception {
        return stored().query(sql, args);
    }

    private long stored(String meter, String signal) throws Exception {
        return stored().count(meter, signal);
    }

    private double sum(String meter, String signal) throws Exception {
        return stored().sum(meter, signal);
    }

    private void awaitStored(String meter, String signal, long expected) throws Exception {
        stored().await(meter, signal, expected);
    }

    private MqttHistorySubscriber subscriber() {
        return context.getRegistry().lookupByNameAndType("mqttSubscriber", MqttHistorySubscriber.class);
    }

    private void awaitConnected() throws Exception {
        await().atMost(Duration.ofSeconds(20)).alias("subscribed").until(() -> subscriber()
                .isConnected());
    }

    @Test
    void frames_are_stored_with_status_and_display_names_and_bad_ones_go_to_dead_letters() throws Exception {
        awaitConnected();
        try (HistoryPublisher pub = new HistoryPublisher(broker().url(), "station-a")) {
            Instant t0 = Instant.parse("2025-11-24T07:00:00Z");
            pub.publish(
                    TOPIC,
                    HistoryPublisher.frame("AmsShop", "1st$20Floor/Vav1$2d01$20Space$20Temp", t0, 60, 70, "{ok}"));
            pub.publish(TOPIC, "not json at all");
            pub.publish(TOPIC, "{\"messageType\":\"alarm\",\"stationName\":\"AmsShop\"}");
            pub.publish(TOPIC, "{\"messageType\":\"history\",\"stationName\":\"AmsShop\",\"historyData\":[]}");
            pub.publish(
                    TOPIC,
                    "{\"messageType\":\"history\",\"stationName\":\"AmsShop\",\"id\":\"/AmsShop/x\","
                            + "\"historyData\":[{\"timestamp\":\"yesterday\",\"value\":1}]}");
            pub.publish(
                    TOPIC,
                    "{\"messageType\":\"history\",\"stationName\":\"AmsShop\",\"id\":\"/AmsShop/x\","
                            + "\"historyData\":[{\"timestamp\":\"2025-11-24 00:00:01.349-0700\",\"value\":\"warm\"}]}");
            // the route goes on after the bad frames: a second history, with the `id` key and a stale status
            pub.publish(
                    TOPIC,
                    HistoryPublisher.frame("AmsShop", "MaxSpaceTemp", t0, 10, 1, "{down,stale}")
                            .replace("\"historyId\"", "\"id\""));
        }
        String signal = "1st$20Floor/Vav1$2d01$20Space$20Temp";
        awaitStored("AmsShop", signal, 60);
        awaitStored("AmsShop", "MaxSpaceTemp", 10);
        assertEquals(60 * 70 + 59 * 60 / 2, sum("AmsShop", signal), 1e-9);
        assertEquals(0, sum("AmsShop", signal + "#status"));
        assertEquals(10 * 0x14, sum("AmsShop", "MaxSpaceTemp#status"), "down (0x04) + stale (0x10)");
        assertEquals(
                1,
                query(
                        "SELECT COUNT(*) FROM series WHERE signal = ? AND display_name = ?",
                        signal,
                        "1st Floor/Vav1-01 Space Temp"));
        assertEquals(1, query("SELECT COUNT(*) FROM meter WHERE id = 'AmsShop' AND origin = 'discovered'"));

        JsonNode dead = new ObjectMapper()
                .readTree(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + httpPort() + "/api/dead-letters?limit=10"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertEquals(5, dead.get("total").asInt());
        String reasons = dead.get("dead_letters").toString();
        assertTrue(reasons.contains("not JSON"), reasons);
        assertTrue(reasons.contains("messageType is 'alarm'"), reasons);
        assertTrue(reasons.contains("no history id"), reasons);
        assertTrue(reasons.contains("timestamp missing or without an offset"), reasons);
        assertTrue(reasons.contains("value is not numeric"), reasons);
        assertEquals(5, dead.get("niagara_mqtt").get("invalid_frames").asInt());
    }

    @Test
    void messages_published_while_the_engine_is_stopped_arrive_once_when_it_is_back() throws Exception {
        awaitConnected();
        subscriber().stop();
        try (HistoryPublisher pub = new HistoryPublisher(broker().url(), "station-b")) {
            Instant t0 = Instant.parse("2025-11-25T07:00:00Z");
            for (int f = 0; f < 20; f++) {
                pub.publish(
                        TOPIC, HistoryPublisher.frame("Offline", "kW", t0.plusSeconds(f * 50L), 50, f * 50, "{ok}"));
            }
        }
        assertEquals(0, query("SELECT COUNT(*) FROM meter WHERE id = 'Offline'"), "nothing arrives while stopped");
        subscriber().start();
        awaitStored("Offline", "kW", 1000);
        assertEquals(999 * 1000 / 2.0, sum("Offline", "kW"), 1e-6);
    }

    @Test
    void a_broker_restart_mid_stream_loses_and_duplicates_none_of_10000_samples() throws Exception {
        awaitConnected();
        Instant t0 = Instant.parse("2025-11-26T07:00:00Z");
        try (HistoryPublisher pub = new HistoryPublisher(broker().url(), "station-c")) {
            for (int f = 0; f < 100; f++) {
                pub.publish(
                        TOPIC, HistoryPublisher.frame("Restart", "kW", t0.plusSeconds(f * 50L), 50, f * 50, "{ok}"));
            }
        }
        // the broker goes down while the engine is still working through the first 5,000
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(5))
                .alias("the first samples arrive")
                .until(() -> stored("Restart", "kW") > 0);
        broker().stop();
        broker().start();
        try (HistoryPublisher pub = new HistoryPublisher(broker().url(), "station-d")) {
            for (int f = 100; f < 200; f++) {
                pub.publish(
                        TOPIC, HistoryPublisher.frame("Restart", "kW", t0.plusSeconds(f * 50L), 50, f * 50, "{ok}"));
            }
        }
        awaitStored("Restart", "kW", 10_000);
        assertEquals(9_999 * 10_000 / 2.0, sum("Restart", "kW"), 1e-6);
    }

    @Test
    void engines_sharing_a_subscription_split_the_frames_and_store_each_once() throws Exception {
        awaitConnected();
        // two engines' subscribers in the shared group "meterflow"; each message goes to one of them
        ProducerTemplate route = context.createProducerTemplate();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        String filter = "$share/meterflow/plant/+/histories";
        try (var a = new MqttHistorySubscriber(
                        TestBroker.subscription(broker().url(), filter, "engine-a", "", "", ""), (topic, payload) -> {
                            route.sendBody("direct:niagara-frame", payload);
                            first.incrementAndGet();
                        });
                var b = new MqttHistorySubscriber(
                        TestBroker.subscription(broker().url(), filter, "engine-b", "", "", ""), (topic, payload) -> {
                            route.sendBody("direct:niagara-frame", payload);
                            second.incrementAndGet();
                        })) {
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(20))
                    .alias("shared subscribers connected")
                    .until(() -> a.isConnected() && b.isConnected());
            Instant t0 = Instant.parse("2025-11-30T07:00:00Z");
            try (HistoryPublisher pub = new HistoryPublisher(broker().url(), "station-shared")) {
                for (int f = 0; f < 40; f++) {
                    pub.publish(
                            "plant/Shared/histories",
                            HistoryPublisher.frame("Shared", "kW", t0.plusSeconds(f * 50L), 50, f * 50, "{ok}"));
                }
            }
            awaitStored("Shared", "kW", 2_000);
            assertEquals(1_999 * 2_000 / 2.0, sum("Shared", "kW"), 1e-6);
            assertEquals(40, first.get() + second.get(), "each frame went to exactly one subscriber");
            if (broker() instanceof MosquittoBroker) {
                // Mosquitto hands shared messages out round robin; HiveMQ may give a whole burst to one member
                assertTrue(first.get() > 0 && second.get() > 0, "both took a share: " + first + " / " + second);
            }
        }
    }
}
