package io.meterflow.source.niagara.mqtt;

import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.nio.file.Path;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Niagara MQTT contract against Mosquitto (the machine's binary, run on its own port with persistence). */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18085",
            "meterflow.inbox=target/it-mqtt/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-mqtt/db/meterflow;DB_CLOSE_DELAY=-1",
            "meterflow.export.dir=target/it-mqtt/exports",
            "meterflow.mqtt.enabled=true",
            "meterflow.mqtt.broker-url=tcp://127.0.0.1:18883",
            "meterflow.mqtt.topic=niagara/+/histories",
            "meterflow.mqtt.client-id=meterflow-it",
            "meterflow.mqtt.reconnect-ms=500"
        })
class NiagaraMqttRouteTest extends NiagaraMqttContract {

    static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path root = Path.of("target/it-mqtt");
        TestFiles.deleteTree(root);
        broker = new MosquittoBroker(root.resolve("broker"), 18883).start();
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
        return 18085;
    }
}
