package io.meterflow.source.niagara.mqtt;

import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.nio.file.Path;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Niagara MQTT contract against HiveMQ Community Edition embedded in the test JVM (file persistence). */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18088",
            "meterflow.inbox=target/it-hivemq/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-hivemq/db/meterflow;DB_CLOSE_DELAY=-1",
            "meterflow.export.dir=target/it-hivemq/exports",
            "meterflow.mqtt.enabled=true",
            "meterflow.mqtt.broker-url=tcp://127.0.0.1:18885",
            "meterflow.mqtt.topic=niagara/+/histories",
            "meterflow.mqtt.client-id=meterflow-hivemq-it",
            "meterflow.mqtt.reconnect-ms=500"
        })
class NiagaraMqttHiveMqTest extends NiagaraMqttContract {

    static HiveMqBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path root = Path.of("target/it-hivemq");
        TestFiles.deleteTree(root);
        broker = new HiveMqBroker(root.resolve("broker"), 18885).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    TestBroker broker() {
        return broker;
    }

    @Override
    int httpPort() {
        return 18088;
    }
}
