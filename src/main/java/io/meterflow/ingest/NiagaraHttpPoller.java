package io.meterflow.ingest;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meterflow.store.DeadLetters;
import io.meterflow.store.NiagaraHttpWatermarks;

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

    /** A station to poll. {@code history.csvPath} null: read it through oBIX. */
    public record Station(String name, String baseUrl, ZoneId zone, String user, String password, boolean insecureTls,
                          int backfillDays, int timeoutSeconds, List<History> histories) {
    }

    /** A history (escaped name, as in the station) and, for CSV, the export file's path. */
    public record History(String id, String csvPath) {
    }

    private final List<Station> stations;
    private final NiagaraHistories histories;
    private final NiagaraHttpWatermarks watermarks;
    private final DeadLetters deadLetters;
    private final Clock clock;

    public NiagaraHttpPoller(List<Station> stations, NiagaraHistories histories, NiagaraHttpWatermarks watermarks,
                             DeadLetters deadLetters, Clock clock) {
        this.stations = stations;
        this.histories = histories;
        this.watermarks = watermarks;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Polls every history of every station; per station the samples stored and the histories that failed. */
    public synchronized Map<String, Object> pollAll() throws InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Station s : stations) {
            HttpClient http = client(s);
            long samples = 0;
            List<String> failed = new ArrayList<>();
            for (History h : s.histories()) {
                try {
                    samples += h.csvPath() == null ? pollObix(http, s, h) : pollCsv(http, s, h);
                } catch (IOException | NiagaraFrames.InvalidFrame e) {
                    failed.add(h.id());
                    LOG.warn("niagara http station={} history={} skipped this run: {}", s.name(), h.id(), e.getMessage());
                }
            }
            summary.put(s.name(), Map.of("samples", samples, "failed", failed));
        }
        return summary;
    }

    private long pollObix(HttpClient http, Station s, History h)
            throws IOException, InterruptedException, NiagaraFrames.InvalidFrame {
        Long mark = watermarks.get(s.name(), h.id());
        long from = mark != null ? mark + 1 : clock.instant().minus(Duration.ofDays(s.backfillDays())).toEpochMilli();
        String end = Instant.ofEpochMilli(clock.millis()).toString();
        long stored = 0;
        while (true) {
            String url = s.baseUrl() + "/obix/histories/" + SlotPath.escape(s.name()) + "/" + h.id()
                    + "/~historyQuery/?start=" + Instant.ofEpochMilli(from) + "&end=" + end + "&limit=" + PAGE;
            byte[] body = get(http, s, url);
            ObixHistoryParser.Parsed parsed;
            try {
                parsed = ObixHistoryParser.parse(body);
            } catch (NiagaraFrames.InvalidFrame e) {
                deadLetters.record("niagara-obix", s.name() + "/" + h.id(), e.getMessage(), new String(body, StandardCharsets.UTF_8));
                throw e;
            }
            if (parsed.rows().isEmpty()) {
                return stored;
            }
            stored += histories.store(s.name(), h.id(), parsed.rows());
            long last = parsed.rows().stream().mapToLong(NiagaraFrames.Row::millis).max().getAsLong();
            watermarks.set(s.name(), h.id(), last);
            if (parsed.rows().size() < PAGE) {
                return stored;
            }
            from = last + 1;
        }
    }

    private long pollCsv(HttpClient http, Station s, History h)
            throws IOException, InterruptedException, NiagaraFrames.InvalidFrame {
        byte[] body = get(http, s, s.baseUrl() + h.csvPath());
        NiagaraCsvParser.Parsed parsed;
        try {
            parsed = NiagaraCsvParser.parse(new String(body, StandardCharsets.UTF_8), s.zone());
        } catch (NiagaraFrames.InvalidFrame e) {
            deadLetters.record("niagara-csv", s.name() + "/" + h.id(), e.getMessage(), new String(body, StandardCharsets.UTF_8));
            throw e;
        }
        Long mark = watermarks.get(s.name(), h.id());
        List<NiagaraFrames.Row> fresh = parsed.rows().stream().filter(r -> mark == null || r.millis() > mark).toList();
        if (fresh.isEmpty()) {
            return 0;
        }
        long stored = histories.store(s.name(), h.id(), fresh);
        watermarks.set(s.name(), h.id(), fresh.stream().mapToLong(NiagaraFrames.Row::millis).max().getAsLong());
        return stored;
    }

    private static byte[] get(HttpClient http, Station s, String url) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(s.timeoutSeconds()));
        if (s.user() != null && !s.user().isEmpty()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (s.user() + ":" + (s.password() == null ? "" : s.password())).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return r.body();
    }

    private static HttpClient client(Station s) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(Math.min(10, s.timeoutSeconds())));
        if (s.insecureTls()) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustEveryCertificate()}, new SecureRandom());
                b.sslContext(ssl);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.build();
    }

    /**
     * Accepts any certificate and any host name: a station's self-signed certificate rarely names
     * the address it is reached by. Extended, so that the TLS stack does not add its own host name
     * check on top (it does for a plain {@code X509TrustManager}).
     */
    private static final class TrustEveryCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
