package io.meterflow.app;

import io.meterflow.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The engine's events as Micrometer meters, scraped from {@code /observe/metrics} with Camel's
 * route and JVM meters. Names start with {@code meterflow_}; durations are histograms with fixed
 * buckets from 10 ms to 10 min; labels are only a source, a result, a status or a destination.
 */
final class MicrometerMetrics implements Metrics {

    /** The histogram buckets of every duration. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120),
        Duration.ofSeconds(300),
        Duration.ofSeconds(600)
    };

    private final MeterRegistry registry;
    private final Counter filesIngested;
    private final Counter filesRejected;
    private final Counter rowsStored;
    private final Counter samplesStored;
    private final Counter framesReceived;
    private final Counter framesAcknowledged;
    private final Timer commits;
    private final Timer filesIngestedTime;
    private final Timer filesRejectedTime;
    private final DistributionSummary writesPerCommit;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.filesIngested = counter("meterflow.files.ingested", "files ingested (moved to .done)");
        this.filesRejected = counter("meterflow.files.rejected", "files rejected (moved to .error with a .reason)");
        this.rowsStored = counter("meterflow.rows.stored", "rows committed by every source");
        this.samplesStored =
                counter("meterflow.samples.stored", "samples (one value of one signal) committed by every source");
        this.framesReceived = counter("meterflow.mqtt.frames.received", "Niagara MQTT messages received");
        this.framesAcknowledged = counter(
                "meterflow.mqtt.frames.acknowledged",
                "Niagara MQTT messages stored (or dead-lettered) and acknowledged to the broker");
        this.commits = timer("meterflow.write.commit", "time of one write transaction, from its start to its commit");
        this.writesPerCommit = DistributionSummary.builder("meterflow.write.commit.writes")
                .description("writes (files, frames, poll windows) committed together in one transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
                .register(registry);
        // the labelled meters exist from the start, so that alerts on their rates see a zero, not nothing
        // looked up once: a registry lookup by name and tags for every file cost more than the recording
        this.filesIngestedTime = timer("meterflow.file.ingest", "time to ingest one file", "outcome", "ingested");
        this.filesRejectedTime = timer("meterflow.file.ingest", "time to ingest one file", "outcome", "rejected");
        for (String source : new String[] {"eniscope", "niagara-http"}) {
            timer("meterflow.source.poll", "time of one poll of a live source", "source", source);
            for (String result : new String[] {"ok", "partial", "failed"}) {
                counter("meterflow.source.polls", "polls of live sources", "source", source, "result", result);
            }
        }
        timer("meterflow.export.job", "time to run one export job");
        timer("meterflow.scheduled.export.run", "time of one scheduled export run");
        for (String status : new String[] {"completed", "failed"}) {
            counter("meterflow.export.jobs.finished", "export jobs finished on this engine", "status", status);
        }
        for (String status : new String[] {"completed", "partial", "failed"}) {
            counter("meterflow.scheduled.export.runs", "scheduled export runs on this engine", "status", status);
        }
        for (String destination : new String[] {"folder", "http"}) {
            for (String result : new String[] {"delivered", "failed"}) {
                counter(
                        "meterflow.scheduled.export.deliveries",
                        "deliveries of scheduled exports",
                        "destination",
                        destination,
                        "result",
                        result);
            }
        }
    }

    @Override
    public void fileIngested(long rows, long samples, long nanos) {
        filesIngested.increment();
        filesIngestedTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void fileRejected(long nanos) {
        filesRejected.increment();
        filesRejectedTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stored(long rows, long samples) {
        rowsStored.increment(rows);
        samplesStored.increment(samples);
    }

    @Override
    public void committed(int writes, long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
        writesPerCommit.record(writes);
    }

    @Override
    public void polled(String source, String result, long nanos) {
        counter("meterflow.source.polls", "polls of live sources", "source", source, "result", result)
                .increment();
        timer("meterflow.source.poll", "time of one poll of a live source", "source", source)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void exportJob(String status, long nanos) {
        counter("meterflow.export.jobs.finished", "export jobs finished on this engine", "status", status)
                .increment();
        timer("meterflow.export.job", "time to run one export job").record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void scheduledRun(String status, long nanos) {
        counter("meterflow.scheduled.export.runs", "scheduled export runs on this engine", "status", status)
                .increment();
        timer("meterflow.scheduled.export.run", "time of one scheduled export run")
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delivery(String destination, String result) {
        counter(
                        "meterflow.scheduled.export.deliveries",
                        "deliveries of scheduled exports",
                        "destination",
                        destination,
                        "result",
                        result)
                .increment();
    }

    /** An MQTT message arrived (before it is stored). */
    void frameReceived() {
        framesReceived.increment();
    }

    /** An MQTT message was handled and is acknowledged. */
    void frameAcknowledged() {
        framesAcknowledged.increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
