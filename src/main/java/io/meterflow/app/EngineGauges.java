package io.meterflow.app;

import io.meterflow.export.ExportJobs;
import io.meterflow.export.JobStatus;
import io.meterflow.source.niagara.mqtt.FrameIngestor;
import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.store.MeterStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters read from the engine's state rather than counted as events: the ingest lag of every meter
 * with data (seconds since its latest sample), export jobs by status and the queue, the MQTT
 * connection and dead-lettered frames. The database is read by {@link #refresh()} (the
 * {@code metrics-refresh} route, every few seconds), never by a scrape, so a scrape costs nothing
 * and answers while the database is away.
 */
public final class EngineGauges {

    private static final Logger LOG = LoggerFactory.getLogger(EngineGauges.class);

    private final MeterRegistry registry;
    private final MeterStats stats;
    private final ExportJobs jobs;
    private final Clock clock;
    private final Map<String, Instant> latest = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private final Map<JobStatus, Long> jobCounts = new EnumMap<>(JobStatus.class);

    EngineGauges(
            MeterRegistry registry,
            MeterStats stats,
            ExportJobs jobs,
            FrameIngestor frames,
            MqttHistorySubscriber mqtt,
            boolean mqttEnabled,
            Clock clock) {
        this.registry = registry;
        this.stats = stats;
        this.jobs = jobs;
        this.clock = clock;
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("meterflow.export.jobs", this, g -> g.jobs(status))
                    .description("export jobs by status, on all engines of the database")
                    .tag("status", status.key())
                    .register(registry);
        }
        Gauge.builder("meterflow.export.queue.depth", this, g -> g.jobs(JobStatus.PENDING))
                .description("export jobs waiting for a worker")
                .register(registry);
        FunctionCounter.builder("meterflow.mqtt.frames.dead.lettered", frames, f -> f.counters()
                        .get("invalid_frames"))
                .description("Niagara MQTT frames that could not be used (in the dead-letter table)")
                .register(registry);
        if (mqttEnabled) {
            Gauge.builder("meterflow.mqtt.connected", mqtt, m -> m.isConnected() ? 1 : 0)
                    .description("1 while the MQTT subscription is connected to the broker")
                    .register(registry);
        }
    }

    /** Reads the latest sample of every meter and the job counts; a meter seen for the first time gets its gauge. */
    public void refresh() {
        Map<String, Instant> now = stats.latestSamples();
        latest.putAll(now);
        for (String meter : now.keySet()) {
            if (gauged.add(meter)) {
                Gauge.builder("meterflow.ingest.lag", this, g -> g.lagSeconds(meter))
                        .description("seconds since the latest sample of the meter")
                        .baseUnit("seconds")
                        .tag("meter", meter)
                        .register(registry);
            }
        }
        Map<JobStatus, Long> counts = jobs.countByStatus();
        synchronized (jobCounts) {
            jobCounts.clear();
            jobCounts.putAll(counts);
        }
        LOG.debug("metrics refreshed meters={}", now.size());
    }

    private double lagSeconds(String meter) {
        Instant t = latest.get(meter);
        return t == null ? Double.NaN : (clock.millis() - t.toEpochMilli()) / 1000.0;
    }

    private double jobs(JobStatus status) {
        synchronized (jobCounts) {
            return jobCounts.getOrDefault(status, 0L);
        }
    }
}
