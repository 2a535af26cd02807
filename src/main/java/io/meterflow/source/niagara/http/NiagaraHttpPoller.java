package io.meterflow.source.niagara.http;

import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraHistories;
import io.meterflow.source.niagara.SlotPath;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.store.DeadLetters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls Niagara histories over HTTP(S) with Basic auth: oBIX {@code ~historyQuery} from the
 * history's watermark (paged by {@code limit}, the next page starting after the last record), or
 * a history CSV export file (plain or Workbench), of which only records newer than the watermark
 * are new. Rows are stored like MQTT frames (station → meter, history → series); the watermark
 * moves after they are committed. Self-signed station certificates are accepted only when the
 * station is configured with {@code insecure_tls}.
 */
public final class NiagaraHttpPoller {

    private static final Logger LOG = LoggerFactory.getLogger(NiagaraHttpPoller.class);
    static final int PAGE = 1000;

    private final List<NiagaraStation> stations;
    private final NiagaraHistories histories;
    private final NiagaraHttpWatermarks watermarks;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Map<String, Object> runs = new ConcurrentHashMap<>();

    public NiagaraHttpPoller(
            List<NiagaraStation> stations,
            NiagaraHistories histories,
            NiagaraHttpWatermarks watermarks,
            DeadLetters deadLetters,
            Clock clock) {
        this.stations = stations;
        this.histories = histories;
        this.watermarks = watermarks;
        this.deadLetters = deadLetters;
        this.clock = clock;
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
            HttpClient http = client(s.connection());
            long samples = 0;
            List<String> failed = new ArrayList<>();
            for (NiagaraStation.PolledHistory h : s.histories()) {
                try {
                    samples += h.csvPath() == null ? pollObix(http, s, h) : pollCsv(http, s, h);
                } catch (IOException | UnusablePayload e) {
                    failed.add(h.id());
                    LOG.warn(
                            "niagara http station={} history={} skipped this run: {}",
                            s.name(),
                            h.id(),
                            e.getMessage());
                }
            }
            return Map.of("samples", samples, "failed", failed);
        }
    }

    private long pollObix(HttpClient http, NiagaraStation s, NiagaraStation.PolledHistory h)
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
            byte[] body = get(http, s, url);
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
            stored += histories.store(s.name(), h.id(), parsed.rows());
            long last =
                    parsed.rows().stream().mapToLong(HistoryRow::millis).max().getAsLong();
            watermarks.set(s.name(), h.id(), last);
            if (parsed.rows().size() < PAGE) {
                return stored;
            }
            from = last + 1;
        }
    }

    private long pollCsv(HttpClient http, NiagaraStation s, NiagaraStation.PolledHistory h)
            throws IOException, InterruptedException, UnusablePayload {
        byte[] body = get(http, s, s.connection().baseUrl() + h.csvPath());
        NiagaraCsvParser.Parsed parsed;
        try {
            parsed = NiagaraCsvParser.parse(new String(body, StandardCharsets.UTF_8), s.zone());
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
        long stored = histories.store(s.name(), h.id(), fresh);
        watermarks.set(
                s.name(),
                h.id(),
                fresh.stream().mapToLong(HistoryRow::millis).max().getAsLong());
        return stored;
    }

    private static byte[] get(HttpClient http, NiagaraStation s, String url) throws IOException, InterruptedException {
        NiagaraStation.Connection c = s.connection();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(c.timeout());
        if (c.user() != null && !c.user().isEmpty()) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((c.user() + ":" + (c.password() == null ? "" : c.password()))
                                            .getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return r.body();
    }

    private static HttpClient client(NiagaraStation.Connection c) {
        Duration connect = c.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? c.timeout() : Duration.ofSeconds(10);
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connect);
        if (c.insecureTls()) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustEveryCertificate()}, new SecureRandom());
                b.sslContext(ssl);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.build();
    }
}
