package io.meterflow.api;

import io.meterflow.series.CoverageGrid;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.source.file.IngestedFiles;
import io.meterflow.store.MeterStats;
import io.meterflow.store.SeriesCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /list_meters} and {@code GET /meter_info/{mac}}, as the CSV server answered them; for
 * the console {@code GET /api/meters} (every meter with its signals, data extent, lag and coverage,
 * in a few queries) and {@code GET /api/meters/{id}/coverage} (local days × hours with data).
 */
public final class MeterApi {

    /** Days of a coverage grid when no range is asked for, ending with the day of the latest sample. */
    static final int DEFAULT_COVERAGE_DAYS = 30;

    private static final int MAX_COVERAGE_DAYS = 366;

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final MeterStats stats;
    private final IngestedFiles files;
    private final Clock clock;

    public MeterApi(MeterRegistry registry, SeriesCatalog catalog, MeterStats stats, IngestedFiles files, Clock clock) {
        this.registry = registry;
        this.catalog = catalog;
        this.stats = stats;
        this.files = files;
        this.clock = clock;
    }

    /**
     * Every meter: id, serial, site, transformer, description, timezone, signals (name and kind),
     * first and last sample, lag (now − last sample, in seconds), samples and coverage percent.
     */
    public ApiResponse meters() {
        Map<String, MeterStats.Summary> summaries = stats.summaries();
        Map<String, List<SeriesCatalog.SeriesInfo>> series = catalog.listAll();
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Meter m : registry.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", m.id());
            d.put("serial", m.serial());
            d.put("site", m.site());
            d.put("transformer", m.transformer());
            d.put("description", m.description());
            d.put("timezone", m.zone().getId());
            List<Map<String, Object>> signals = new ArrayList<>();
            for (SeriesCatalog.SeriesInfo info : series.getOrDefault(m.id(), List.of())) {
                signals.add(signal(info));
            }
            d.put("signals", signals);
            MeterStats.Summary s = summaries.getOrDefault(m.id(), new MeterStats.Summary(null, null, 0, 0));
            d.put("first_sample", local(s.earliest(), m));
            d.put("last_sample", local(s.latest(), m));
            d.put(
                    "lag_seconds",
                    s.latest() == null
                            ? null
                            : Duration.between(s.latest(), now).getSeconds());
            d.put("samples", s.samples());
            d.put("coverage_percent", s.coveragePercent());
            out.add(d);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", out.size());
        body.put("now", now.toString());
        body.put("meters", out);
        return ApiResponse.json(200, body);
    }

    /**
     * The coverage grid of local days {@code start} to {@code end} (yyyy-MM-dd, inclusive; default
     * the {@value #DEFAULT_COVERAGE_DAYS} days ending with the day of the latest sample, or today).
     */
    public ApiResponse coverage(String id, String start, String end) {
        Meter meter = require(id);
        LocalDate last = end == null || end.isBlank() ? null : date("end", end);
        LocalDate first = start == null || start.isBlank() ? null : date("start", start);
        if (last == null) {
            Instant latest = stats.summary(meter.id()).latest();
            last = first != null
                    ? first.plusDays(DEFAULT_COVERAGE_DAYS - 1)
                    : (latest == null ? clock.instant() : latest)
                            .atZone(meter.zone())
                            .toLocalDate();
        }
        if (first == null) {
            first = last.minusDays(DEFAULT_COVERAGE_DAYS - 1);
        }
        if (last.isBefore(first)) {
            throw ApiException.badRequest("INVALID_RANGE", "end must not be before start");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_COVERAGE_DAYS) {
            throw ApiException.badRequest(
                    "RANGE_TOO_LARGE", "a coverage grid covers at most " + MAX_COVERAGE_DAYS + " days");
        }
        long fromHour = Math.floorDiv(first.atStartOfDay(meter.zone()).toEpochSecond(), 3600) * 3600;
        long toHour = last.plusDays(1).atStartOfDay(meter.zone()).toEpochSecond();
        CoverageGrid.Grid grid =
                CoverageGrid.of(first, last, meter.zone(), stats.samplesPerHour(meter.id(), fromHour, toHour));
        List<Map<String, Object>> days = new ArrayList<>();
        for (CoverageGrid.Day d : grid.days()) {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("date", d.date().toString());
            day.put("hours", d.hours());
            days.add(day);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", meter.id());
        body.put("timezone", meter.zone().getId());
        body.put("start", first.toString());
        body.put("end", last.toString());
        body.put("hours_with_data", grid.hoursWithData());
        body.put("hours_in_range", grid.hoursInRange());
        body.put("expected_samples_per_hour", grid.expectedPerHour());
        body.put("days", days);
        return ApiResponse.json(200, body);
    }

    private static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_DATE", name + " is not a date (yyyy-MM-dd): " + text);
        }
    }

    private static Map<String, Object> signal(SeriesCatalog.SeriesInfo info) {
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("signal", info.signal());
        sig.put("kind", info.kind().key());
        if (info.unit() != null) {
            sig.put("unit", info.unit());
        }
        if (info.displayName() != null) {
            sig.put("display_name", info.displayName());
        }
        return sig;
    }

    /**
     * The meters with data, as the CSV server listed them; with {@code includeEmpty} ("true") every
     * registered meter, configured ones without data too.
     */
    public ApiResponse listMeters(String includeEmpty) {
        boolean all = flag(includeEmpty);
        Set<String> withData = all ? Set.of() : stats.latestSamples().keySet();
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> details = new ArrayList<>();
        for (Meter m : registry.all()) {
            if (!all && !withData.contains(m.id())) {
                continue;
            }
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
            signals.add(signal(info));
        }
        body.put("signals", signals);
        body.put("sample_count", s.samples());
        body.put("coverage_percent", s.coveragePercent());
        body.put("last_ingest", f.lastIngest() == null ? null : f.lastIngest().toString());
        return ApiResponse.json(200, body);
    }

    private static boolean flag(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("INVALID_INCLUDE_EMPTY", "include_empty must be true or false");
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
