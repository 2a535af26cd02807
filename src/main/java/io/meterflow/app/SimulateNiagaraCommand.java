package io.meterflow.app;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * {@code simulate-niagara --broker tcp://127.0.0.1:1883 [--topic niagara/histories] [--station S]
 * [--history H] [--frames N] [--rows R] [--start ISO]}: publishes Niagara history frames with QoS 1,
 * as a station's MQTT driver would: R one-second rows per frame, value = row number, timestamps
 * {@code yyyy-MM-dd HH:mm:ss.SSSZ}. Deterministic; prints frames, samples and samples/s.
 */
final class SimulateNiagaraCommand {

    private static final DateTimeFormatter NIAGARA =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ").withZone(ZoneOffset.ofHours(-7));

    /** Paho's reason code for "too many publishes in progress". */
    private static final int MAX_INFLIGHT = 32202;

    private SimulateNiagaraCommand() {}

    /** Publishes and waits for the broker's acknowledgement (QoS 1). */
    private static void publish(MqttClient client, String topic, MqttMessage message) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                client.publish(topic, message);
                return;
            } catch (MqttException e) {
                // Paho releases an in-flight slot a moment after the acknowledgement: wait for it
                if (e.getReasonCode() != MAX_INFLIGHT || attempt > 1000) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    static int run(String[] args) throws Exception {
        String broker = "tcp://127.0.0.1:1883";
        String topic = "niagara/histories";
        String station = "SimStation";
        String history = "Main$20Meter$2fkW";
        int frames = 100;
        int rows = 100;
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--broker" -> broker = args[++i];
                case "--topic" -> topic = args[++i];
                case "--station" -> station = args[++i];
                case "--history" -> history = args[++i];
                case "--frames" -> frames = Integer.parseInt(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--start" -> start = Instant.parse(args[++i]);
                default -> {
                    System.err.println("usage: java -jar meterflow.jar simulate-niagara --broker URL [--topic T]"
                            + " [--station S] [--history H] [--frames N] [--rows R] [--start ISO]");
                    return 2;
                }
            }
        }
        MqttClient client = new MqttClient(broker, "meterflow-sim-" + station, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        long t0 = System.nanoTime(); // within the broker's receive maximum (Mosquitto: 20)
        for (int f = 0; f < frames; f++) {
            StringBuilder sb = new StringBuilder(64 + rows * 80)
                    .append("{\"messageType\":\"history\",\"stationName\":\"")
                    .append(station)
                    .append("\",\"historyId\":\"/")
                    .append(station)
                    .append('/')
                    .append(history)
                    .append("\",\"historyData\":[");
            for (int r = 0; r < rows; r++) {
                long n = (long) f * rows + r;
                if (r > 0) {
                    sb.append(',');
                }
                sb.append("{\"timestamp\":\"")
                        .append(NIAGARA.format(start.plusSeconds(n)))
                        .append("\",\"status\":\"{ok}\",\"value\":")
                        .append(n)
                        .append('}');
            }
            sb.append("]}");
            MqttMessage message = new MqttMessage(sb.toString().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            publish(client, topic, message);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        client.disconnect();
        client.close();
        System.out.printf(
                "published frames=%d samples=%d seconds=%.2f samples/s=%.0f%n",
                frames, (long) frames * rows, seconds, frames * (double) rows / seconds);
        return 0;
    }
}
