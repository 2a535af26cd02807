package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.meterflow.SelfSignedCertificate;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import io.meterflow.settings.EngineSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Niagara MQTT source against a Mosquitto that takes only TLS (a self-signed certificate for
 * 127.0.0.1) and only a user with a password: the engine, given the certificate as its CA file
 * and the credentials, stores the frames; a client without the password or without the CA file
 * is refused and receives nothing.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18086",
            "meterflow.inbox=target/it-mqtt-tls/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-mqtt-tls/db/meterflow",
            "meterflow.export.dir=target/it-mqtt-tls/exports",
            "meterflow.mqtt.enabled=true",
            "meterflow.mqtt.broker-url=ssl://127.0.0.1:18884",
            "meterflow.mqtt.ca-file=target/it-mqtt-tls/tls/cert.pem",
            "meterflow.mqtt.username=meterflow",
            "meterflow.mqtt.password=s3cret-Passw0rd",
            "meterflow.mqtt.topic=niagara/histories",
            "meterflow.mqtt.client-id=meterflow-tls-it",
            "meterflow.mqtt.reconnect-ms=500"
        })
class NiagaraMqttSecurityTest {

    static final Path ROOT = Path.of("target/it-mqtt-tls");
    static final String TOPIC = "niagara/histories";
    static MosquittoBroker broker;
    static SelfSignedCertificate cert;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void startBroker() throws Exception {
        TestFiles.deleteTree(ROOT);
        cert = SelfSignedCertificate.create(ROOT.resolve("tls"), "mqtt.example", "IP:127.0.0.1");
        Path passwords = MosquittoBroker.passwordFile(ROOT.resolve("broker"), "meterflow", "s3cret-Passw0rd");
        MosquittoBroker.passwordFile(ROOT.resolve("station"), "station", "st4tion");
        // both users in one file: mosquitto_passwd -c made each; append the station's line
        Files.writeString(passwords, Files.readString(ROOT.resolve("station/passwords")), StandardOpenOption.APPEND);
        broker = new MosquittoBroker(
                        ROOT.resolve("broker"),
                        18884,
                        "certfile " + cert.certificate.toAbsolutePath() + "\nkeyfile " + cert.key.toAbsolutePath()
                                + "\n",
                        "allow_anonymous false\npassword_file " + passwords.toAbsolutePath() + "\n")
                .start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttConnectionOptions station() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName("station");
        o.setPassword("st4tion".getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(PemTrust.context(cert.certificate).getSocketFactory());
        return o;
    }

    private MqttHistorySubscriber engineSubscriber() {
        return context.getRegistry().lookupByNameAndType("mqttSubscriber", MqttHistorySubscriber.class);
    }

    @Test
    void frames_over_tls_from_an_authenticated_station_are_stored() throws Exception {
        await().atMost(Duration.ofSeconds(20))
                .alias("the engine connects over TLS with its password")
                .until(() -> engineSubscriber().isConnected());
        try (HistoryPublisher pub = new HistoryPublisher(broker.url(), "station-tls", station())) {
            pub.publish(
                    TOPIC,
                    HistoryPublisher.frame("Secure", "kW", Instant.parse("2025-11-27T07:00:00Z"), 100, 1, "{ok}"));
        }
        StoredSamples stored = new StoredSamples(context.getRegistry().lookupByNameAndType("engine", Engine.class));
        stored.await("Secure", "kW", 100);
        assertEquals(100 * 1 + 99 * 100 / 2.0, stored.sum("Secure", "kW"), 1e-9);
    }

    @Test
    void a_wrong_password_or_an_untrusted_certificate_is_refused_and_receives_nothing() throws Exception {
        AtomicInteger received = new AtomicInteger();
        String ca = cert.certificate.toString();
        EngineSettings.Mqtt wrongPassword =
                TestBroker.subscription(broker.url(), TOPIC, "intruder-1", "meterflow", "guess", ca);
        EngineSettings.Mqtt noCa =
                TestBroker.subscription(broker.url(), TOPIC, "intruder-2", "meterflow", "s3cret-Passw0rd", "");
        EngineSettings.Mqtt plainTcp = TestBroker.subscription(
                "tcp://127.0.0.1:18884", TOPIC, "intruder-3", "meterflow", "s3cret-Passw0rd", "");
        EngineSettings.Mqtt right =
                TestBroker.subscription(broker.url(), TOPIC, "control", "meterflow", "s3cret-Passw0rd", ca);
        AtomicInteger controlReceived = new AtomicInteger();
        try (MqttHistorySubscriber a = new MqttHistorySubscriber(wrongPassword, (t, p) -> received.incrementAndGet());
                MqttHistorySubscriber b = new MqttHistorySubscriber(noCa, (t, p) -> received.incrementAndGet());
                MqttHistorySubscriber c = new MqttHistorySubscriber(plainTcp, (t, p) -> received.incrementAndGet());
                MqttHistorySubscriber control =
                        new MqttHistorySubscriber(right, (t, p) -> controlReceived.incrementAndGet())) {
            a.start();
            b.start();
            c.start();
            control.start();
            await().atMost(Duration.ofSeconds(20))
                    .alias("the control subscriber connects")
                    .until(control::isConnected);
            try (HistoryPublisher pub = new HistoryPublisher(broker.url(), "station-tls-2", station())) {
                pub.publish(
                        TOPIC,
                        HistoryPublisher.frame("Secure2", "kW", Instant.parse("2025-11-27T08:00:00Z"), 5, 1, "{ok}"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .alias("the control subscriber receives")
                    .until(() -> controlReceived.get() > 0);
            // through several reconnect attempts (every 200 ms) the refused ones stay out and receive nothing
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertFalse(a.isConnected(), "wrong password");
                assertFalse(b.isConnected(), "certificate not in the JVM trust store");
                assertFalse(c.isConnected(), "plain TCP to the TLS listener");
                assertEquals(0, received.get());
            });
        }
    }
}
