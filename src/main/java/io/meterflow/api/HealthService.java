package io.meterflow.api;

import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.MeterTable;
import io.meterflow.store.SampleStore;
import io.meterflow.store.StoreAvailability;
import io.meterflow.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body of {@code GET /health}. It answers within about two seconds whatever the database does:
 * the counts are read on a thread of its own, and a query that does not answer in time (the
 * database gone, a table locked) makes the engine {@code unhealthy} rather than the request hang.
 * {@code degraded} names what works only in part: writes failing (the database read-only or out
 * of space), the MQTT broker unreachable for a while, a folder the engine writes to nearly full.
 * Both answer 503; {@code healthy} answers 200.
 */
public final class HealthService implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final Duration MQTT_GRACE = Duration.ofSeconds(30);

    /** What the database holds: meters, samples, dead letters. */
    private record Counts(long meters, long samples, long deadLetters) {}

    private final MeterTable meters;
    private final SampleStore store;
    private final DeadLetters deadLetters;
    private final StoreAvailability availability;
    private final MqttHistorySubscriber mqtt;
    private final List<Path> folders;
    private final long minFreeBytes;
    private final Clock clock;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });
    private Future<Counts> inFlight;

    /**
     * @param mqtt the subscription, or null when MQTT is off
     * @param folders the folders the engine writes to (exports, outbox, the embedded database)
     */
    public HealthService(
            MeterTable meters,
            SampleStore store,
            DeadLetters deadLetters,
            StoreAvailability availability,
            MqttHistorySubscriber mqtt,
            List<Path> folders,
            long minFreeBytes,
            Clock clock) {
        this.meters = meters;
        this.store = store;
        this.deadLetters = deadLetters;
        this.availability = availability;
        this.mqtt = mqtt;
        this.folders = List.copyOf(folders);
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
    }

    public Map<String, Object> check() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("server", "meterflow");
        body.put("version", VERSION);
        List<String> problems = new ArrayList<>();
        Map<String, Object> database = new LinkedHashMap<>();
        Counts counts = null;
        try {
            counts = counts();
            database.put("reachable", true);
        } catch (TimeoutException e) {
            database.put("reachable", false);
            database.put("error", "no answer within " + ANSWER_WITHIN.toSeconds() + " s");
        } catch (ExecutionException e) {
            database.put("reachable", false);
            database.put("error", StoreException.reason(e.getCause()));
        }
        StoreAvailability.Outage outage = availability.outage();
        if (outage != null) {
            database.put("writes_failing_since", outage.since().toString());
            database.put("writes_error", outage.reason());
            problems.add("writes fail since " + outage.since() + ": " + outage.reason());
        }
        body.put("database", database);
        if (mqtt != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            Instant since = mqtt.disconnectedSince();
            m.put("connected", since == null);
            if (since != null) {
                m.put("disconnected_since", since.toString());
                m.put("error", mqtt.lastProblem());
                if (Duration.between(since, clock.instant()).compareTo(MQTT_GRACE) > 0) {
                    problems.add("MQTT broker not connected since " + since + ": " + mqtt.lastProblem());
                }
            }
            body.put("mqtt", m);
        }
        Map<String, Object> disk = new LinkedHashMap<>();
        for (Path folder : folders) {
            long free = freeBytes(folder);
            disk.put(folder.toString(), free);
            if (free >= 0 && free < minFreeBytes) {
                problems.add("only " + free / 1_048_576 + " MB free for " + folder);
            }
        }
        body.put("free_bytes", disk);
        if (counts != null) {
            body.put("meters", counts.meters());
            body.put("samples", counts.samples());
            body.put("dead_letters", counts.deadLetters());
        }
        String status = counts == null ? "unhealthy" : problems.isEmpty() ? "healthy" : "degraded";
        if (counts == null) {
            problems.add(0, "database not reachable: " + database.get("error"));
        }
        body.put("status", status);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        return body;
    }

    /** The counts, read on the probe thread; one query at a time, the next request waits for it. */
    private Counts counts() throws TimeoutException, ExecutionException {
        Future<Counts> f;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = probes.submit(() -> new Counts(meters.count(), store.sampleCount(), deadLetters.count()));
            }
            f = inFlight;
        }
        try {
            return f.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    /** Usable bytes on the file system of {@code folder} (or its nearest existing parent); -1 when unknown. */
    private static long freeBytes(Path folder) {
        Path p = folder.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
