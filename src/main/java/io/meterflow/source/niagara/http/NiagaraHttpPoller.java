package io.meterflow.source.niagara.http;

import io.meterflow.ingest.TimestampFormats;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.SlotPath;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraHistories;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.RetryableWriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls Niagara histories over HTTP(S), with Basic auth or the station's session login
 * ({@link StationClient}): oBIX {@code ~historyQuery} from the
 * history's watermark (paged by {@code limit}, the next page starting after the last record), or
 * a history CSV export file (plain or Workbench), of which only records newer than the watermark
 * are new. Rows are stored like MQTT frames (station → meter, history → series); the watermark
 * moves after they are committed. An answer that is the station's login page fails the history
 * for the run like a refused login; it is not data and is not dead-lettered. Self-signed station
 * certificates are accepted only when the station is configured with {@code insecure_tls}.
 */
public final class NiagaraHttpPoller {

    private static final Logger LOG = LoggerFactory.getLogger(NiagaraHttpPoller.class);
    static final int PAGE = 1000;

    private final List<NiagaraStation> stations;
    private final NiagaraHistories histories;
    private final NiagaraHttpWatermarks watermarks;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final TimestampFormats formats;
    private final Metrics metrics;
    private final Map<String, Object> runs = new ConcurrentHashMap<>();

    public NiagaraHttpPoller(
            List<NiagaraStation> stations,
            NiagaraHistories histories,
            NiagaraHttpWatermarks watermarks,
            DeadLetters deadLetters,
            Clock clock,
            Metrics metrics) {
        this(stations, histories, watermarks, deadLetters, clock, TimestampFormats.DEFAULT, metrics);
    }

    public NiagaraHttpPoller(
            List<NiagaraStation> stations,
            NiagaraHistories histories,
            NiagaraHttpWatermarks watermarks,
            DeadLetters deadLetters,
            Clock clock,
            TimestampFormats formats,
            Metrics metrics) {
        this.stations = stations;
        this.histories = histories;
        this.watermarks = watermarks;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.formats = formats;
        this.metrics = metrics;
    }

    /** Polls every history of every station; per station the samples stored and the histories that failed. */
    public Map<String, Object> pollAll() throws InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (NiagaraStation s : stations) {
            summary.put(s.name(), poll(s.name()));
        }
        return summary;
    }

    /** The configured stations. */
    public List<NiagaraStation> stations() {
        return stations;
    }

    /**
     * Polls every history of one station (its route calls this on the station's cron); the samples
     * stored and the histories that failed.
     */
    public Map<String, Object> poll(String stationName) throws InterruptedException {
        NiagaraStation s = stations.stream()
                .filter(st -> st.name().equals(stationName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Niagara station named '" + stationName + "'"));
        synchronized (runs.computeIfAbsent(stationName, k -> new Object())) { // one run of a station at a time
            long started = System.nanoTime();
            long samples = 0;
            List<String> failed = new ArrayList<>();
            try (StationClient http = new StationClient(s.connection())) {
                for (NiagaraStation.PolledHistory h : s.histories()) {
                    try {
                        samples += h.csvPath() == null ? pollObix(http, s, h) : pollCsv(http, s, h);
                    } catch (IOException | UnusablePayload | RetryableWriteException e) {
                        failed.add(h.id());
                        LOG.warn(
                                "niagara http station={} history={} skipped this run: {}",
                                s.name(),
                                h.id(),
                                e.getMessage());
                    }
                }
            }
            metrics.polled(
                    "niagara-http",
                    failed.isEmpty() ? "ok" : failed.size() < s.histories().size() ? "partial" : "failed",
                    System.nanoTime() - started);
            return Map.of("samples", samples, "failed", failed);
        }
    }

    private long pollObix(StationClient http, NiagaraStation s, NiagaraStation.PolledHistory h)
            throws IOException, InterruptedException, UnusablePayload {
        Long mark = watermarks.get(s.name(), h.id());
        long from = mark != null
                ? mark + 1
                : clock.instant().minus(Duration.ofDays(s.backfillDays())).toEpochMilli();
        String end = Instant.ofEpochMilli(clock.millis()).toString();
        long stored = 0;
        while (true) {
            String url = s.connection().baseUrl() + "/obix/histories/" + SlotPath.escape(s.name()) + "/" + h.id()
                    + "/~historyQuery/?start=" + Instant.ofEpochMilli(from) + "&end=" + end + "&limit=" + PAGE;
            byte[] body = http.get(url);
            ObixHistoryParser.Parsed parsed;
            try {
                parsed = ObixHistoryParser.parse(body);
            } catch (UnusablePayload e) {
                deadLetters.record(
                        "niagara-obix",
                        s.name() + "/" + h.id(),
                        e.getMessage(),
                        new String(body, StandardCharsets.UTF_8));
                throw e;
            }
            if (parsed.rows().isEmpty()) {
                return stored;
            }
            stored += histories.store(s.name(), h.id(), parsed.rows(), parsed.unit());
            long last =
                    parsed.rows().stream().mapToLong(HistoryRow::millis).max().getAsLong();
            watermarks.set(s.name(), h.id(), last);
            if (parsed.rows().size() < PAGE) {
                return stored;
            }
            from = last + 1;
        }
    }

    private long pollCsv(StationClient http, NiagaraStation s, NiagaraStation.PolledHistory h)
            throws IOException, InterruptedException, UnusablePayload {
        byte[] body = http.get(s.connection().baseUrl() + h.csvPath());
        NiagaraCsvParser.Parsed parsed;
        try {
            parsed = NiagaraCsvParser.parse(new String(body, StandardCharsets.UTF_8), s.zone(), formats);
        } catch (UnusablePayload e) {
            deadLetters.record(
                    "niagara-csv", s.name() + "/" + h.id(), e.getMessage(), new String(body, StandardCharsets.UTF_8));
            throw e;
        }
        Long mark = watermarks.get(s.name(), h.id());
        List<HistoryRow> fresh = parsed.rows().stream()
                .filter(r -> mark == null || r.millis() > mark)
                .toList();
        if (fresh.isEmpty()) {
            return 0;
        }
        long stored = histories.store(s.name(), h.id(), fresh, parsed.unit());
        watermarks.set(
                s.name(),
                h.id(),
                fresh.stream().mapToLong(HistoryRow::millis).max().getAsLong());
        return stored;
    }
}
