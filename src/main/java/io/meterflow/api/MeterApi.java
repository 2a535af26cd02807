package io.meterflow.api;

import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.source.file.IngestedFiles;
import io.meterflow.store.MeterStats;
import io.meterflow.store.SeriesCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /list_meters} and {@code GET /meter_info/{mac}}, as the CSV server answered them, plus more. */
public final class MeterApi {

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final MeterStats stats;
    private final IngestedFiles files;

    public MeterApi(MeterRegistry registry, SeriesCatalog catalog, MeterStats stats, IngestedFiles files) {
        this.registry = registry;
        this.catalog = catalog;
        this.stats = stats;
        this.files = files;
    }

    public ApiResponse listMeters() {
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> details = new ArrayList<>();
        for (Meter m : registry.all()) {
            ids.add(m.id());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", m.id());
            d.put("serial", m.serial());
            d.put("site", m.site());
            d.put("transformer", m.transformer());
            d.put("description", m.description());
            d.put("timezone", m.zone().getId());
            details.add(d);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meters", ids);
        body.put("count", ids.size());
        body.put("details", details);
        return ApiResponse.json(200, body);
    }

    public ApiResponse meterInfo(String id) {
        Meter meter = require(id);
        MeterStats.Summary s = stats.summary(meter.id());
        IngestedFiles.Summary f = files.summary(meter.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mac_address", meter.id());
        body.put("serial", meter.serial());
        body.put("timezone", meter.zone().getId());
        body.put("file_count", f.files());
        body.put("earliest_datetime", local(s.earliest(), meter));
        body.put("latest_datetime", local(s.latest(), meter));
        List<Map<String, Object>> signals = new ArrayList<>();
        for (SeriesCatalog.SeriesInfo info : catalog.list(meter.id())) {
            Map<String, Object> sig = new LinkedHashMap<>();
            sig.put("signal", info.signal());
            sig.put("kind", info.kind().key());
            if (info.displayName() != null) {
                sig.put("display_name", info.displayName());
            }
            signals.add(sig);
        }
        body.put("signals", signals);
        body.put("sample_count", s.samples());
        body.put("coverage_percent", s.coveragePercent());
        body.put("last_ingest", f.lastIngest() == null ? null : f.lastIngest().toString());
        return ApiResponse.json(200, body);
    }

    /** The meter with this id; 404 {@code METER_NOT_FOUND} (400 for an id that could never exist). */
    Meter require(String id) {
        String problem = MeterId.problem(id);
        if (problem != null) {
            throw ApiException.badRequest("INVALID_METER_ID", problem);
        }
        Meter meter = registry.find(id);
        if (meter == null) {
            throw new ApiException(404, "METER_NOT_FOUND", "Meter '" + id + "' not found");
        }
        return meter;
    }

    private static String local(Instant t, Meter meter) {
        return IsoTimes.format(t, meter.zone());
    }
}
