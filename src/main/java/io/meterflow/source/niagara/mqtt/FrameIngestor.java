package io.meterflow.source.niagara.mqtt;

import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.source.niagara.History;
import io.meterflow.source.niagara.NiagaraHistories;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.StoreAvailability;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the history frames of one MQTT message (called by the {@code niagara-mqtt} route). All
 * histories of the message are committed before this returns, so the subscriber may acknowledge
 * the message afterwards. A frame that cannot be used is stored with its reason in the dead-letter
 * table and counted; it never throws for bad content.
 */
public final class FrameIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(FrameIngestor.class);
    static final String SOURCE = "niagara-mqtt";

    private final MeterRegistry registry;
    private final NiagaraHistories histories;
    private final DeadLetters deadLetters;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();

    private final StoreAvailability availability;
    private final NiagaraFrames frames;

    public FrameIngestor(
            MeterRegistry registry,
            NiagaraHistories histories,
            DeadLetters deadLetters,
            StoreAvailability availability,
            NiagaraFrames frames) {
        this.registry = registry;
        this.histories = histories;
        this.deadLetters = deadLetters;
        this.availability = availability;
        this.frames = frames;
    }

    /** Counters since start: messages stored, samples stored, frames rejected. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("messages", messages.get());
        m.put("samples", samples.get());
        m.put("invalid_frames", invalid.get());
        return m;
    }

    /**
     * Stores one message; returns the number of samples written (0 for a dead letter). While the
     * database cannot take writes the call waits (the message stays unacknowledged) and completes
     * once it can.
     */
    public long ingest(byte[] payload, String topic) throws Exception {
        return availability.hold(() -> ingestOnce(payload, topic));
    }

    private long ingestOnce(byte[] payload, String topic) {
        List<History> parsed;
        try {
            parsed = frames.read(payload);
        } catch (UnusablePayload e) {
            invalid.incrementAndGet();
            LOG.warn("niagara frame rejected topic={} reason={}", topic, e.getMessage());
            deadLetters.record(SOURCE, topic, e.getMessage(), new String(payload, StandardCharsets.UTF_8));
            return 0;
        }
        long written = 0;
        for (History h : parsed) {
            String meterId = NiagaraHistories.meterId(h.station());
            String problem = MeterId.problem(meterId);
            if (problem != null) {
                invalid.incrementAndGet();
                deadLetters.record(
                        SOURCE,
                        topic,
                        "station '" + h.station() + "': " + problem,
                        new String(payload, StandardCharsets.UTF_8));
                continue;
            }
            written += histories.store(registry.findOrRegister(meterId), h);
        }
        messages.incrementAndGet();
        samples.addAndGet(written);
        return written;
    }
}
