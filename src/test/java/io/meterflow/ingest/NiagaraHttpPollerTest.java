package io.meterflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.meterflow.Meterflow;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.series.Sample;
import io.meterflow.store.DeadLetters;
import io.meterflow.store.NiagaraHttpWatermarks;

/** Niagara HTTP polling against a station simulator (oBIX with paging, a CSV export, Basic auth) over real HTTP. */
class NiagaraHttpPollerTest {

    static final Instant START = Instant.parse("2025-11-20T00:00:00Z");

    @TempDir
    Path dir;
    private Meterflow meterflow;
    private HttpServer station;
    private volatile int records = 2500;
    private volatile String csv = "\uFEFFTimestamp,Value (°F)\n22-Nov-25 1:00:00 AM MST,70.50\n22-Nov-25 1:05:00 AM MST, -1.25\n";
    private final AtomicInteger obixCalls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        meterflow = TestEngines.start(dir, TestDatabases.h2());
        station = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String auth = "Basic " + Base64.getEncoder().encodeToString("obix:secret".getBytes(StandardCharsets.UTF_8));
        station.createContext("/", ex -> {
            if (!auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            String path = ex.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/obix/histories/AmsShop/Main$20kW/~historyQuery/")) {
                obixCalls.incrementAndGet();
                Map<String, String> q = new HashMap<>();
                for (String p : ex.getRequestURI().getRawQuery().split("&")) {
                    q.put(p.substring(0, p.indexOf('=')), URLDecoder.decode(p.substring(p.indexOf('=') + 1), StandardCharsets.UTF_8));
                }
                long from = Instant.parse(q.get("start")).toEpochMilli();
                int limit = Integer.parseInt(q.get("limit"));
                StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><obj is=\"obix:HistoryQueryOut\" xmlns=\"http://obix.org/ns/schema/1.0\"><list name=\"data\">");
                int n = 0;
                for (int i = 0; i < records && n < limit; i++) {
                    long t = START.toEpochMilli() + i * 60_000L;
                    if (t >= from) {
                        sb.append("<obj><abstime name=\"timestamp\" val=\"")
                                .append(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(-7))).append("\"/><real name=\"value\" val=\"")
                                .append(i).append("\"/></obj>");
                        n++;
                    }
                }
                sb.append("</list><int name=\"count\" val=\"").append(n).append("\"/></obj>");
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/file/AmsShop/historyExports/Zone$20Temp.csv")) {
                body = csv.getBytes(StandardCharsets.UTF_8);
            } else {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        station.start();
    }

    @AfterEach
    void stop() {
        station.stop(0);
        meterflow.close();
    }

    private NiagaraHttpPoller poller(Instant now, String password) {
        NiagaraHttpPoller.Station s = new NiagaraHttpPoller.Station("AmsShop", "http://127.0.0.1:" + station.getAddress().getPort(),
                ZoneId.of("America/Denver"), "obix", password, false, 30, List.of(
                        new NiagaraHttpPoller.History("Main$20kW", null),
                        new NiagaraHttpPoller.History("Zone$20Temp", "/file/AmsShop/historyExports/Zone$20Temp.csv")));
        return new NiagaraHttpPoller(List.of(s), meterflow.niagaraHistories(),
                new NiagaraHttpWatermarks(meterflow.store().dataSource()), new DeadLetters(meterflow.store().dataSource()),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private List<Sample> samples(String signal) throws Exception {
        try (Connection c = meterflow.store().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM series WHERE meter_id = 'AmsShop' AND signal = ?")) {
            ps.setString(1, signal);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? meterflow.store().samples(rs.getLong(1), 0, Long.MAX_VALUE) : List.of();
            }
        }
    }

    @Test
    void obix_is_paged_from_the_watermark_and_csv_exports_add_only_new_records() throws Exception {
        Instant now = START.plusSeconds(10 * 86_400);
        Map<String, Object> summary = poller(now, "secret").pollAll();
        assertTrue(summary.toString().contains("failed=[]"), summary.toString());
        List<Sample> kw = samples("Main$20kW");
        assertEquals(2500, kw.size());
        assertEquals(3, obixCalls.get(), "pages of 1000, 1000 and 500");
        assertEquals(new Sample(START.toEpochMilli(), 0), kw.get(0));
        assertEquals(2499.0, kw.get(2499).value());
        List<Sample> temp = samples("Zone$20Temp");
        assertEquals(List.of(new Sample(Instant.parse("2025-11-22T08:00:00Z").toEpochMilli(), 70.5),
                new Sample(Instant.parse("2025-11-22T08:05:00Z").toEpochMilli(), -1.25)), temp);

        records = 2510;
        csv = csv + "22-Nov-25 1:10:00 AM MST,71.00\n";
        poller(now, "secret").pollAll();
        assertEquals(2510, samples("Main$20kW").size());
        assertEquals(4, obixCalls.get(), "one more page from the watermark");
        assertEquals(3, samples("Zone$20Temp").size());
        assertEquals(Instant.parse("2025-11-22T08:10:00Z").toEpochMilli(),
                new NiagaraHttpWatermarks(meterflow.store().dataSource()).get("AmsShop", "Zone$20Temp"));
    }

    @Test
    void a_rejected_login_skips_the_histories_and_keeps_the_watermarks() throws Exception {
        Map<String, Object> summary = poller(START.plusSeconds(86_400), "wrong").pollAll();
        assertTrue(summary.toString().contains("Main$20kW") && summary.toString().contains("Zone$20Temp"), summary.toString());
        assertEquals(0, samples("Main$20kW").size());
        assertEquals(null, new NiagaraHttpWatermarks(meterflow.store().dataSource()).get("AmsShop", "Main$20kW"));
    }
}
