package io.meterflow.api;

import io.meterflow.export.schedule.ExportRunTable;
import io.meterflow.export.schedule.ScheduledExport;
import io.meterflow.export.schedule.ScheduledExports;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/exports}, {@code GET /api/exports/{name}/runs}, {@code POST /api/exports/{name}/run}. */
public final class ScheduleApi {

    private final ScheduledExports exports;

    public ScheduleApi(ScheduledExports exports) {
        this.exports = exports;
    }

    public ApiResponse list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScheduledExport d : exports.definitions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("enabled", d.enabled());
            m.put("cron", d.cron());
            m.put("timezone", d.zone().getId());
            m.put("meters", d.content().meters().stream().map(Meter::id).toList());
            m.put("resolution", d.content().resolution().key());
            m.put("aggregation", d.content().aggregation().key());
            m.put("window", d.content().window().text());
            m.put("folder", d.destinations().folder());
            m.put(
                    "http",
                    d.destinations().http() == null
                            ? null
                            : d.destinations().http().method() + " "
                                    + d.destinations().http().url());
            Instant next = exports.nextFire(d);
            m.put("next_fire_time", next == null ? null : IsoTimes.format(next, d.zone()));
            out.add(m);
        }
        return ApiResponse.json(200, Map.of("exports", out, "count", out.size()));
    }

    public ApiResponse runs(String name) {
        ScheduledExport d = exports.find(name).orElse(null);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExportRunTable.Run r : exports.runs(name)) {
            out.add(run(r, d));
        }
        return ApiResponse.json(200, Map.of("name", name, "runs", out));
    }

    public ApiResponse run(String name, String date, String start, String end) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<ExportRunTable.Run> done = exports.runNow(name, date, start, end);
        ScheduledExport d = exports.find(name).orElseThrow();
        for (ExportRunTable.Run r : done) {
            out.add(run(r, d));
        }
        return ApiResponse.json(200, Map.of("name", name, "runs", out));
    }

    private static Map<String, Object> run(ExportRunTable.Run r, ScheduledExport d) {
        ZoneId zone = d == null ? ZoneOffset.UTC : d.zone();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "window",
                Map.of("start", IsoTimes.format(r.windowStart(), zone), "end", IsoTimes.format(r.windowEnd(), zone)));
        m.put("status", r.status().key());
        m.put("trigger", r.trigger().key());
        m.put("started_at", r.startedAt().toString());
        m.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        m.put("rows", r.output().rows());
        m.put("file", r.output().fileName());
        m.put("coverage_percent", r.output().coveragePercent());
        Map<String, Object> dest = new LinkedHashMap<>();
        dest.put(
                "folder",
                r.delivery().folder() == null ? null : r.delivery().folder().key());
        dest.put(
                "http", r.delivery().http() == null ? null : r.delivery().http().key());
        dest.put("http_attempts", r.delivery().httpAttempts());
        m.put("destinations", dest);
        m.put("error", r.error());
        return m;
    }
}
