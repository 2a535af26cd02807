package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** Publishes Niagara history frames with QoS 1, as a station's MQTT driver would. */
public final class HistoryPublisher implements AutoCloseable {

    static final DateTimeFormatter NIAGARA =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ").withZone(ZoneOffset.ofHours(-7));

    private final MqttClient client;

    public HistoryPublisher(String url, String clientId) throws Exception {
        this(url, clientId, new MqttConnectionOptions());
    }

    /** {@code options}: credentials and TLS for a secured broker; reconnect and clean start are set here. */
    public HistoryPublisher(String url, String clientId, MqttConnectionOptions options) throws Exception {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        options.setAutomaticReconnect(true);
        options.setCleanStart(true);
        client.connect(options);
    }

    /** A frame of {@code count} one-second rows from {@code first}, value = base + row index. */
    public static String frame(String station, String history, Instant first, int count, double base, String status) {
        StringBuilder sb = new StringBuilder("{\"messageType\":\"history\",\"stationName\":\"")
                .append(station)
                .append("\",\"historyId\":\"/")
                .append(station)
                .append('/')
                .append(history)
                .append("\",\"historyData\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"timestamp\":\"")
                    .append(NIAGARA.format(first.plusSeconds(i)))
                    .append("\",\"status\":\"")
                    .append(status)
                    .append("\",\"value\":")
                    .append(base + i)
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    public void publish(String topic, String payload) throws Exception {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        // while the broker restarts, publishing fails until the client has reconnected
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .ignoreException(MqttException.class)
                .until(() -> {
                    client.publish(topic, message);
                    return true;
                });
    }

    @Override
    public void close() throws Exception {
        client.disconnect();
        client.close();
    }
}
