package io.meterflow.api;

import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.source.niagara.mqtt.MqttSessions;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.EngineHeartbeats;
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
 * Both answer 503, and so does {@code starting}, until every route runs; {@code healthy} answers 200.
 */
public final class HealthService implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final Duration MQTT_GRACE = Duration.ofSeconds(30);

    /**
     * A stopped engine's MQTT session is emptied by a live engine once the stopped one's last beat
     * is {@link EngineHeartbeats#STALE} old, within one more round of route niagara-mqtt-orphans
     * (10 s); one still waiting this long after the last beat is a problem.
     */
    static final Duration ORPHAN_GRACE = EngineHeartbeats.STALE.plusSeconds(30);

    /** What the database holds: meters, samples, dead letters. */
    /** How long counts and free space read for one answer serve the next ones. */
    static final Duration FRESH = Duration.ofMillis(500);

    private record Counts(long meters, long samples, long deadLetters, List<EngineHeartbeats.Engine> engines) {}

    private final MeterTable meters;
    private final SampleStore store;
    private final DeadLetters deadLetters;
    private final EngineHeartbeats heartbeats;
    private final StoreAvailability availability;
    private final MqttHistorySubscriber mqtt;
    private final MqttSessions sessions;
    private final List<Path> folders;
    private final long minFreeBytes;
    private final Clock clock;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean started;
    private Future<Counts> inFlight;
    private Counts lastCounts;
    private long lastCountsNanos;
    private Map<String, Long> lastFree;
    private long lastFreeNanos;

    /**
     * @param mqtt the subscription, or null when MQTT is off
     * @param sessions the MQTT sessions of the engines on the database, or null when MQTT is off
     * @param folders the folders the engine writes to (exports, outbox, the embedded database)
     */
    public HealthService(
            MeterTable meters,
            SampleStore store,
            DeadLetters deadLetters,
            EngineHeartbeats heartbeats,
            StoreAvailability availability,
            MqttHistorySubscriber mqtt,
            MqttSessions sessions,
            List<Path> folders,
            long minFreeBytes,
            Clock clock) {
        this.meters = meters;
        this.store = store;
        this.deadLetters = deadLetters;
        this.heartbeats = heartbeats;
        this.availability = availability;
        this.mqtt = mqtt;
        this.sessions = sessions;
        this.folders = List.copyOf(folders);
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
    }

    /** Every route runs: until then /health answers {@code starting} (503), so nothing is sent here too early. */
    public void started() {
        started = true;
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
            if (sessions != null) {
                m.put("frames_taken_from_stopped_engines", sessions.framesTaken());
            }
            body.put("mqtt", m);
        }
        Map<String, Long> disk = freeSpace();
        disk.forEach((folder, free) -> {
            if (free >= 0 && free < minFreeBytes) {
                problems.add("only " + free / 1_048_576 + " MB free for " + folder);
            }
        });
        body.put("free_bytes", disk);
        if (counts != null) {
            body.put("meters", counts.meters());
            body.put("samples", counts.samples());
            body.put("dead_letters", counts.deadLetters());
            List<Map<String, Object>> engines = new ArrayList<>();
            for (EngineHeartbeats.Engine e : counts.engines()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", e.name());
                m.put("host", e.host());
                m.put("started_at", e.startedAt().toString());
                m.put("beat_at", e.beatAt().toString());
                m.put("alive", e.alive());
                m.put("this", e.name().equals(heartbeats.self().name()));
                if (e.mqttClientId() != null) {
                    m.put("mqtt_session", e.mqttClientId());
                    if (!e.alive()) {
                        // its frames wait at the broker until a live engine empties the session (route
                        // niagara-mqtt-orphans, every 10 s)
                        m.put("mqtt_backlog", "frames queued for this session wait at the broker");
                        if (Duration.between(e.beatAt(), clock.instant()).compareTo(ORPHAN_GRACE) > 0) {
                            problems.add("MQTT session " + e.mqttClientId() + " of stopped engine " + e.name()
                                    + " not emptied since " + e.beatAt() + " (is MQTT enabled on a live engine?)");
                        }
                    }
                }
                engines.add(m);
            }
            body.put("engines", engines);
        }
        String status =
                counts == null ? "unhealthy" : !started ? "starting" : problems.isEmpty() ? "healthy" : "degraded";
        if (counts == null) {
            problems.add(0, "database not reachable: " + database.get("error"));
        } else if (!started) {
            problems.add(0, "the engine is starting: its routes are not all running yet");
        }
        body.put("status", status);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        return body;
    }

    /**
     * The counts, read on the probe thread; one query at a time, the next request waits for it.
     * Counts read less than {@link #FRESH} ago are answered as they are: a busy monitor costs the
     * database at most a few small queries a second.
     */
    private Counts counts() throws TimeoutException, ExecutionException {
        Future<Counts> f;
        synchronized (this) {
            if (lastCounts != null && System.nanoTime() - lastCountsNanos < FRESH.toNanos()) {
                return lastCounts;
            }
            if (inFlight == null || inFlight.isDone()) {
                inFlight = probes.submit(() ->
                        new Counts(meters.count(), store.sampleCount(), deadLetters.count(), heartbeats.engines()));
            }
            f = inFlight;
        }
        try {
            Counts counts = f.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                lastCounts = counts;
                lastCountsNanos = System.nanoTime();
            }
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    /** Free bytes per folder, read at most every {@link #FRESH}. */
    private synchronized Map<String, Long> freeSpace() {
        if (lastFree == null || System.nanoTime() - lastFreeNanos >= FRESH.toNanos()) {
            Map<String, Long> free = new LinkedHashMap<>();
            for (Path folder : folders) {
                free.put(folder.toString(), freeBytes(folder));
            }
            lastFree = free;
            lastFreeNanos = System.nanoTime();
        }
        return lastFree;
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
