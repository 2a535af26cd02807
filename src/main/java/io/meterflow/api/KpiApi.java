package io.meterflow.api;

import io.meterflow.analysis.EnergyKpis;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.series.SignalKind;
import io.meterflow.store.SeriesCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A meter's energy figures for charts: {@code GET /api/meters/{id}/kpis} (daily import and export
 * kWh from its counters, peak kW, mean kW and load factor, over whole local days) and
 * {@code GET /api/meters/{id}/bundle} (those and several signals' points in one answer). The
 * signals are named by {@code import}, {@code export} and {@code power} (default {@code pos_ae},
 * {@code neg_ae}, {@code com_ap}); a default the meter lacks is left out, a named one it lacks is
 * a 404.
 */
public final class KpiApi {

    static final String IMPORT = "pos_ae";
    static final String EXPORT = "neg_ae";
    static final String POWER = "com_ap";
    private static final int MAX_SIGNALS = 8;

    private final MeterApi meters;
    private final SeriesApi series;
    private final SeriesCatalog catalog;
    private final EnergyKpis kpis;

    public KpiApi(MeterApi meters, SeriesApi series, SeriesCatalog catalog, EnergyKpis kpis) {
        this.meters = meters;
        this.series = series;
        this.catalog = catalog;
        this.kpis = kpis;
    }

    public ApiResponse kpis(String meterId, String start, String end, String imported, String exported, String power) {
        Meter meter = meters.require(meterId);
        SeriesApi.Range range = range(meter, start, end);
        return ApiResponse.json(200, body(meter, range, imported, exported, power));
    }

    /**
     * The KPIs and the points of each of {@code signals} (comma-separated, at most eight) over one
     * range, in one answer: {@code {"meter", "kpis": {...}, "series": {signal: {...}}}}.
     */
    public ApiResponse bundle(
            String meterId,
            String signals,
            String start,
            String end,
            String maxPoints,
            String imported,
            String exported,
            String power) {
        Meter meter = meters.require(meterId);
        SeriesApi.Range range = range(meter, start, end);
        int threshold = SeriesApi.points(maxPoints);
        List<String> names = new ArrayList<>();
        if (signals != null) {
            for (String s : signals.split(",")) {
                if (!s.isBlank() && !names.contains(s.trim())) {
                    names.add(s.trim());
                }
            }
        }
        if (names.size() > MAX_SIGNALS) {
            throw ApiException.badRequest("TOO_MANY_SIGNALS", "a bundle holds at most " + MAX_SIGNALS + " signals");
        }
        Map<String, Object> points = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, Object> one = series.points(meter, name, range, threshold);
            one.remove("meter");
            one.remove("signal");
            points.put(name, one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", meter.id());
        body.put("kpis", body(meter, range, imported, exported, power));
        body.put("series", points);
        return ApiResponse.json(200, body);
    }

    /** KPIs are per day: a range needs both ends. */
    private SeriesApi.Range range(Meter meter, String start, String end) {
        if (start == null || start.isBlank() || end == null || end.isBlank()) {
            throw ApiException.badRequest("MISSING_FIELD", "start and end are required");
        }
        return series.range(meter, start, end);
    }

    private Map<String, Object> body(
            Meter meter, SeriesApi.Range range, String imported, String exported, String power) {
        List<SeriesCatalog.SeriesInfo> stored = catalog.list(meter.id());
        SeriesCatalog.SeriesInfo importSeries = pick(meter, stored, imported, IMPORT, SignalKind.COUNTER);
        SeriesCatalog.SeriesInfo exportSeries = pick(meter, stored, exported, EXPORT, SignalKind.COUNTER);
        SeriesCatalog.SeriesInfo powerSeries = pick(meter, stored, power, POWER, null);
        EnergyKpis.Kpis k = kpis.compute(
                meter,
                new EnergyKpis.Signals(id(importSeries), id(exportSeries), id(powerSeries)),
                range.from(),
                range.to());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", meter.id());
        body.put("timezone", meter.zone().getId());
        body.put("start", IsoTimes.format(k.start(), meter.zone()));
        body.put("end", IsoTimes.format(k.endExclusive(), meter.zone()));
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("import", name(importSeries));
        signals.put("export", name(exportSeries));
        signals.put("power", name(powerSeries));
        body.put("signals", signals);
        body.put("import_kwh", k.importKwh());
        body.put("export_kwh", k.exportKwh());
        body.put("peak_kw", k.peakKw());
        body.put("peak_at", IsoTimes.format(k.peakAt(), meter.zone()));
        body.put("mean_kw", k.meanKw());
        body.put("load_factor", k.loadFactor() == null ? null : Math.round(k.loadFactor() * 10_000) / 10_000.0);
        body.put("capped_deltas", k.cappedDeltas());
        List<Map<String, Object>> days = new ArrayList<>();
        for (EnergyKpis.Day d : k.days()) {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.date().toString());
            day.put("import_kwh", d.importKwh());
            day.put("export_kwh", d.exportKwh());
            day.put("peak_kw", d.peakKw());
            day.put("mean_kw", d.meanKw());
            days.add(day);
        }
        body.put("daily", days);
        return body;
    }

    /**
     * The series named {@code requested}, else the default name when the meter has it (null when
     * not); a requested one that is missing or of the wrong kind is refused.
     */
    private static SeriesCatalog.SeriesInfo pick(
            Meter meter, List<SeriesCatalog.SeriesInfo> stored, String requested, String fallback, SignalKind kind) {
        boolean named = requested != null && !requested.isBlank();
        String wanted = named ? requested.trim() : fallback;
        SeriesCatalog.SeriesInfo found = stored.stream()
                .filter(s -> s.signal().equals(wanted))
                .findFirst()
                .orElse(null);
        if (found == null) {
            if (named) {
                throw new ApiException(
                        404, "SIGNAL_NOT_FOUND", "meter '" + meter.id() + "' has no signal '" + wanted + "'");
            }
            return null;
        }
        if (kind != null && found.kind() != kind) {
            if (named) {
                throw ApiException.badRequest(
                        "NOT_A_COUNTER",
                        "signal '" + wanted + "' is a " + found.kind().key() + ", not a counter");
            }
            return null;
        }
        return found;
    }

    private static Long id(SeriesCatalog.SeriesInfo s) {
        return s == null ? null : s.id();
    }

    private static String name(SeriesCatalog.SeriesInfo s) {
        return s == null ? null : s.signal();
    }
}
