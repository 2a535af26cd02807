package io.meterflow.app;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code simulate-niagara --broker tcp://127.0.0.1:1883 [--topic niagara/histories] [--station S]
 * [--history H] [--frames N] [--rows R] [--in-flight N] [--start ISO]}: publishes Niagara history
 * frames with QoS 1, as a station's MQTT driver would, up to N of them awaiting their
 * acknowledgement: R one-second rows per frame, value = row number, timestamps
 * {@code yyyy-MM-dd HH:mm:ss.SSSZ}. Deterministic; prints frames, samples, samples/s and the
 * wall-clock time of its first publish ({@code first_publish_ms}, for benchmarks that time the
 * engine from there).
 */
@Command(
        name = "simulate-niagara",
        mixinStandardHelpOptions = true,
        description = "Publishes deterministic Niagara history frames with QoS 1, as a station's MQTT driver would.",
        footer = {"", "Exit codes: 0 published, 1 the broker refused or could not be reached, 2 bad command line."})
final class SimulateNiagaraCommand implements Callable<Integer> {

    /** The stations' offset: timestamps are written in local time at -07:00. */
    private static final int OFFSET_SECONDS = -7 * 3600;

    /** Paho's reason code for "too many publishes in progress". */
    private static final int MAX_INFLIGHT = 32202;

    private SimulateNiagaraCommand() {}

    /**
     * Publishes without waiting for the broker's acknowledgement (QoS 1), as a station's driver
     * streams its histories: at most {@code inFlight} frames unacknowledged at a time; a failed
     * publish is kept and thrown by {@link #awaitAll}.
     */
    private static final class Publisher implements MqttActionListener {
        private final MqttAsyncClient client;
        private final String topic;
        private final int inFlight;
        private final Semaphore slots;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Publisher(MqttAsyncClient client, String topic, int inFlight) {
            this.client = client;
            this.topic = topic;
            this.inFlight = inFlight;
            this.slots = new Semaphore(inFlight);
        }

        void publish(MqttMessage message) throws Exception {
            slots.acquire();
            throwIfFailed();
            for (int attempt = 0; ; attempt++) {
                try {
                    client.publish(topic, message, null, this);
                    return;
                } catch (MqttException e) {
                    // Paho releases an in-flight slot a moment after the acknowledgement: wait for it
                    if (e.getReasonCode() != MAX_INFLIGHT || attempt > 1000) {
                        slots.release();
                        throw e;
                    }
                    Thread.sleep(1);
                }
            }
        }

        /** Waits until the broker has acknowledged every frame published. */
        void awaitAll() throws Exception {
            slots.acquire(inFlight);
            slots.release(inFlight);
            throwIfFailed();
        }

        private void throwIfFailed() throws Exception {
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void onSuccess(IMqttToken token) {
            slots.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            failure.compareAndSet(null, exception);
            slots.release();
        }
    }

    @Mixin
    LaunchOptions launch;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker (default: ${DEFAULT-VALUE})")
    String broker = "tcp://127.0.0.1:1883";

    @Option(names = "--topic", paramLabel = "T", description = "topic to publish to (default: ${DEFAULT-VALUE})")
    String topic = "niagara/histories";

    @Option(names = "--station", paramLabel = "S", description = "station name (default: ${DEFAULT-VALUE})")
    String station = "SimStation";

    @Option(names = "--history", paramLabel = "H", description = "history id, slot-escaped (default: ${DEFAULT-VALUE})")
    String history = "Main$20Meter$2fkW";

    @Option(names = "--frames", paramLabel = "N", description = "frames to publish (default: ${DEFAULT-VALUE})")
    int frames = 100;

    @Option(names = "--rows", paramLabel = "R", description = "one-second rows per frame (default: ${DEFAULT-VALUE})")
    int rows = 100;

    @Option(
            names = "--in-flight",
            paramLabel = "N",
            description = "frames sent before their acknowledgement, at most (default: ${DEFAULT-VALUE};"
                    + " 1 waits for each, Mosquitto takes up to 20)")
    int inFlight = 16;

    @Option(names = "--start", paramLabel = "ISO", description = "time of the first row (default: ${DEFAULT-VALUE})")
    Instant start = Instant.parse("2025-01-01T00:00:00Z");

    /** For tests and scripts that call it in-process. */
    static int run(String[] args) {
        return MeterflowCommand.commandLine(new SimulateNiagaraCommand()).execute(args);
    }

    @Override
    public Integer call() {
        try {
            publishAll();
            return ExitCodes.OK;
        } catch (Exception e) {
            return StartupFailure.report("simulate-niagara", e, System.err);
        }
    }

    private void publishAll() throws Exception {
        if (inFlight < 1) {
            throw new CommandLine.ParameterException(
                    MeterflowCommand.commandLine(this), "--in-flight must be at least 1");
        }
        MqttAsyncClient client = new MqttAsyncClient(broker, "meterflow-sim-" + station, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion();
        Publisher publisher = new Publisher(client, topic, inFlight);
        Timestamps timestamps = new Timestamps();
        long firstPublishMillis = System.currentTimeMillis();
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
                sb.append("{\"timestamp\":\"");
                timestamps.append(sb, start.toEpochMilli() + n * 1000);
                sb.append("\",\"status\":\"{ok}\",\"value\":").append(n).append('}');
            }
            sb.append("]}");
            MqttMessage message = new MqttMessage(sb.toString().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            publisher.publish(message);
        }
        publisher.awaitAll();
        double seconds = (System.nanoTime() - t0) / 1e9;
        client.disconnect().waitForCompletion();
        client.close();
        System.out.printf(
                "published frames=%d samples=%d seconds=%.2f samples/s=%.0f first_publish_ms=%d%n",
                frames, (long) frames * rows, seconds, frames * (double) rows / seconds, firstPublishMillis);
    }

    /**
     * A station's timestamp, {@code yyyy-MM-dd HH:mm:ss.SSS-0700}, written without a formatter: the
     * publisher shares the machine with the engine it measures, so its own work per row is kept
     * small. The date is formatted once per day.
     */
    static final class Timestamps {
        private long day = Long.MIN_VALUE;
        private String date;

        void append(StringBuilder sb, long epochMillis) {
            long local = epochMillis + OFFSET_SECONDS * 1000L;
            long d = Math.floorDiv(local, 86_400_000L);
            int millis = (int) Math.floorMod(local, 86_400_000L);
            if (d != day) {
                day = d;
                date = LocalDate.ofEpochDay(d).toString();
            }
            int second = millis / 1000;
            sb.append(date).append(' ');
            twoDigits(sb, second / 3600).append(':');
            twoDigits(sb, second / 60 % 60).append(':');
            twoDigits(sb, second % 60).append('.');
            int ms = millis % 1000;
            sb.append((char) ('0' + ms / 100))
                    .append((char) ('0' + ms / 10 % 10))
                    .append((char) ('0' + ms % 10));
            sb.append("-0700");
        }

        private static StringBuilder twoDigits(StringBuilder sb, int n) {
            return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
        }
    }
}
