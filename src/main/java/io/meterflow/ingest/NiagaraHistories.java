package io.meterflow.ingest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.WriteSession;

/**
 * Stores Niagara history frames (from MQTT): a station becomes a meter (its name made a valid
 * meter id), a history a series keyed by its escaped name within the station, with the decoded
 * name as display name; each row's status goes to the companion series {@code <history>#status}
 * (Niagara status bits, 0 = ok). All histories of a message are committed before this returns, so
 * the caller may acknowledge the message afterwards. A frame that cannot be used is stored with
 * its reason in the dead-letter table and counted; it never throws.
 */
public final class NiagaraHistories {

    private static final Logger LOG = LoggerFactory.getLogger(NiagaraHistories.class);
    private static final int ATTEMPTS = 3;

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final SampleStore store;
    private final DeadLetters deadLetters;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();

    public NiagaraHistories(MeterRegistry registry, SeriesCatalog catalog, SampleStore store, DeadLetters deadLetters) {
        this.registry = registry;
        this.catalog = catalog;
        this.store = store;
        this.deadLetters = deadLetters;
    }

    /** Counters since start: messages stored, samples stored, frames rejected. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("messages", messages.get());
        m.put("samples", samples.get());
        m.put("invalid_frames", invalid.get());
        return m;
    }

    /** Stores one message; returns the number of samples written (0 for a dead letter). */
    public int ingest(byte[] payload, String topic) {
        List<NiagaraFrames.History> histories;
        try {
            histories = NiagaraFrames.parse(payload);
        } catch (NiagaraFrames.InvalidFrame e) {
            invalid.incrementAndGet();
            LOG.warn("niagara frame rejected topic={} reason={}", topic, e.getMessage());
            deadLetters.record("niagara-mqtt", topic, e.getMessage(), new String(payload, StandardCharsets.UTF_8));
            return 0;
        }
        int written = 0;
        for (NiagaraFrames.History h : histories) {
            String meterId = meterId(h.station());
            String problem = MeterId.problem(meterId);
            if (problem != null) {
                invalid.incrementAndGet();
                deadLetters.record("niagara-mqtt", topic, "station '" + h.station() + "': " + problem,
                        new String(payload, StandardCharsets.UTF_8));
                continue;
            }
            written += store(registry.findOrRegister(meterId), h);
        }
        messages.incrementAndGet();
        samples.addAndGet(written);
        return written;
    }

    /** Stores rows of one history of a station (also used by the HTTP poller); the samples written. */
    int store(String station, String historyId, List<NiagaraFrames.Row> rows) {
        return store(registry.findOrRegister(meterId(station)), new NiagaraFrames.History(station, historyId, rows));
    }

    private int store(Meter meter, NiagaraFrames.History h) {
        String signal = signal(h.station(), h.historyId());
        for (int attempt = 1; ; attempt++) {
            try (WriteSession session = store.openSession(meter.id())) {
                ParseStats stats = new ParseStats();
                HourlyBatcher batcher = new HourlyBatcher(meter, registry, catalog, session, stats);
                batcher.columns(new String[] {signal, signal + "#status"});
                String display = SlotPath.unescape(signal);
                batcher.displayNames(new String[] {display.equals(signal) ? null : display, null});
                double[] row = new double[2];
                for (NiagaraFrames.Row r : h.rows()) {
                    row[0] = r.value();
                    row[1] = r.status();
                    batcher.row(r.millis(), row);
                }
                batcher.finish();
                session.commit();
                return (int) session.samplesWritten();
            } catch (RetryableWriteException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A station name as a meter id: characters other than letters, digits, '_' and '-' become '_'. */
    static String meterId(String station) {
        String id = station.trim().replaceAll("[^A-Za-z0-9_-]", "_");
        return id.length() > MeterId.MAX_LENGTH ? id.substring(0, MeterId.MAX_LENGTH) : id;
    }

    /** The history id within its station: {@code /AmsShop/1st$20Floor/Temp} → {@code 1st$20Floor/Temp}. */
    static String signal(String station, String historyId) {
        String id = historyId.startsWith("/") ? historyId.substring(1) : historyId;
        for (String prefix : new String[] {station + "/", SlotPath.escape(station) + "/"}) {
            if (id.startsWith(prefix) && id.length() > prefix.length()) {
                return id.substring(prefix.length());
            }
        }
        return id;
    }
}
