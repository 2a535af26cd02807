package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Niagara MQTT source against the machine's own Mosquitto service on 127.0.0.1:1883 (CI
 * starts it when it is not running). The station name is new on every run, so that whatever an
 * earlier run left on the shared broker cannot be counted.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18089",
            "meterflow.inbox=target/it-mqtt-machine/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-mqtt-machine/db/meterflow",
            "meterflow.export.dir=target/it-mqtt-machine/exports",
            "meterflow.mqtt.enabled=true",
            "meterflow.mqtt.broker-url=tcp://127.0.0.1:1883",
            "meterflow.mqtt.topic=meterflow-it/+/histories",
            "meterflow.mqtt.client-id=meterflow-machine-it",
            "meterflow.mqtt.session-expiry-seconds=120",
            "meterflow.mqtt.reconnect-ms=500"
        })
class NiagaraMqttMachineBrokerTest {

    static final String STATION = "Ci" + System.currentTimeMillis();
    static final String TOPIC = "meterflow-it/" + STATION + "/histories";

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void clean() throws Exception {
        TestFiles.deleteTree(Path.of("target/it-mqtt-machine"));
    }

    private MqttHistorySubscriber subscriber() throws Exception {
        MqttHistorySubscriber s =
                context.getRegistry().lookupByNameAndType("mqttSubscriber", MqttHistorySubscriber.class);
        await().atMost(Duration.ofSeconds(20))
                .alias("connected to the machine's broker on 127.0.0.1:1883")
                .until(s::isConnected);
        return s;
    }

    private StoredSamples stored() {
        return new StoredSamples(context.getRegistry().lookupByNameAndType("engine", Engine.class));
    }

    @Test
    void ten_thousand_samples_arrive_exactly_once() throws Exception {
        subscriber();
        Instant t0 = Instant.parse("2025-11-28T07:00:00Z");
        try (HistoryPublisher pub = new HistoryPublisher("tcp://127.0.0.1:1883", STATION + "-a")) {
            for (int f = 0; f < 200; f++) {
                pub.publish(TOPIC, HistoryPublisher.frame(STATION, "kW", t0.plusSeconds(f * 50L), 50, f * 50, "{ok}"));
            }
        }
        stored().await(STATION, "kW", 10_000);
        assertEquals(9_999 * 10_000 / 2.0, stored().sum(STATION, "kW"), 1e-6);
    }

    @Test
    void frames_published_while_the_engine_is_away_arrive_when_it_is_back() throws Exception {
        subscriber().stop();
        Instant t0 = Instant.parse("2025-11-29T07:00:00Z");
        try (HistoryPublisher pub = new HistoryPublisher("tcp://127.0.0.1:1883", STATION + "-b")) {
            for (int f = 0; f < 10; f++) {
                pub.publish(
                        TOPIC, HistoryPublisher.frame(STATION, "away", t0.plusSeconds(f * 100L), 100, f * 100, "{ok}"));
            }
        }
        assertEquals(0, stored().count(STATION, "away"));
        context.getRegistry()
                .lookupByNameAndType("mqttSubscriber", MqttHistorySubscriber.class)
                .start();
        stored().await(STATION, "away", 1_000);
        assertEquals(999 * 1_000 / 2.0, stored().sum(STATION, "away"), 1e-6);
    }
}
