package io.meterflow.api;

import io.meterflow.series.IsoTimes;
import io.meterflow.series.Lttb;
import io.meterflow.series.Meter;
import io.meterflow.series.Rollup;
import io.meterflow.series.Sample;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/meters/{id}/series?signal=&start=&end=&max_points=}: one signal as JSON points
 * for charts, downsampled with LTTB to at most {@code max_points} (first and last kept). Ranges
 * up to a day read the raw samples; longer ones read minute means, so memory stays small.
 */
public final class SeriesApi {

    private static final int DEFAULT_POINTS = 6000;
    private static final int MAX_POINTS = 20_000;

    private final MeterApi meters;
    private final SeriesCatalog catalog;
    private final SampleStore store;
    private final Duration maxRange;

    public SeriesApi(MeterApi meters, SeriesCatalog catalog, SampleStore store, Duration maxRange) {
        this.meters = meters;
        this.catalog = catalog;
        this.store = store;
        this.maxRange = maxRange;
    }

    public ApiResponse series(String meterId, String signal, String start, String end, String maxPoints) {
        Meter meter = meters.require(meterId);
        Range range = range(meter, start, end);
        return ApiResponse.json(200, points(meter, signal, range, points(maxPoints)));
    }

    /** A requested range: {@code from} to {@code to}, both inclusive. */
    record Range(Instant from, Instant to) {}

    /**
     * The range of {@code start} and {@code end} (ISO 8601; local times in the meter's zone; no
     * start: from the first sample, no end: now); 400 when it is empty or longer than the limit.
     */
    Range range(Meter meter, String start, String end) {
        Instant from = start == null ? Instant.EPOCH : instant("start", start, meter);
        Instant to = end == null ? Instant.now() : instant("end", end, meter);
        if (!to.isAfter(from)) {
            throw ApiException.badRequest("INVALID_RANGE", "end must be after start");
        }
        if (start != null && Duration.between(from, to).compareTo(maxRange) > 0) {
            throw ApiException.badRequest(
                    "RANGE_TOO_LARGE", "the range is longer than the limit of " + maxRange.toDays() + " days");
        }
        return new Range(from, to);
    }

    /** The stored series of {@code signal}; 400 without a signal, 404 when the meter has none of that name. */
    SeriesCatalog.SeriesInfo signal(Meter meter, String signal) {
        if (signal == null || signal.isBlank()) {
            throw ApiException.badRequest("MISSING_FIELD", "signal is required");
        }
        return catalog.list(meter.id()).stream()
                .filter(s -> s.signal().equals(signal))
                .findFirst()
                .orElseThrow(() -> new ApiException(
                        404, "SIGNAL_NOT_FOUND", "meter '" + meter.id() + "' has no signal '" + signal + "'"));
    }

    /** The body of one signal's points over {@code range}, at most {@code threshold} of them. */
    Map<String, Object> points(Meter meter, String signal, Range range, int threshold) {
        SeriesCatalog.SeriesInfo info = signal(meter, signal);
        Instant from = range.from();
        Instant to = range.to();
        // raw samples for a day or less, unless the raw retention no longer keeps them
        boolean rawKept = from.toEpochMilli() >= store.rawRetainedFromMillis();
        List<double[]> points = rawKept && Duration.between(from, to).compareTo(Duration.ofDays(1)) <= 0
                ? raw(info.id(), from, to)
                : minuteMeans(info.id(), from, to);
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        List<Object[]> out = new ArrayList<>();
        for (int i : Lttb.select(x, y, x.length, threshold)) {
            // JSON has no NaN or Infinity: such a point is null
            out.add(new Object[] {
                IsoTimes.format(Instant.ofEpochMilli((long) x[i]), meter.zone()), Double.isFinite(y[i]) ? y[i] : null
            });
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meter", meter.id());
        body.put("signal", signal);
        body.put("kind", info.kind().key());
        if (info.unit() != null) {
            body.put("unit", info.unit());
        }
        body.put("source_points", x.length);
        body.put("points", out);
        return body;
    }

    private List<double[]> raw(long seriesId, Instant from, Instant to) {
        List<double[]> points = new ArrayList<>();
        for (Sample s : store.samples(seriesId, from.toEpochMilli(), to.toEpochMilli() + 1)) {
            points.add(new double[] {s.epochMillis(), s.value()});
        }
        return points;
    }

    private List<double[]> minuteMeans(long seriesId, Instant from, Instant to) {
        List<double[]> points = new ArrayList<>();
        long fromHour = Math.floorDiv(from.getEpochSecond(), 3600) * 3600;
        store.forEachHour(new long[] {seriesId}, fromHour, to.getEpochSecond() + 1, false, (hour, slots) -> {
            Rollup[] minutes = slots[0];
            for (int m = 0; m < 60; m++) {
                long t = (hour + m * 60L) * 1000;
                if (minutes[m] != null && t >= from.toEpochMilli() && t <= to.toEpochMilli()) {
                    points.add(new double[] {t, minutes[m].mean()});
                }
            }
        });
        return points;
    }

    private static Instant instant(String name, String text, Meter meter) {
        try {
            return IsoTimes.parse(text, meter.zone());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_DATETIME", name + " is not an ISO 8601 date-time: " + text);
        }
    }

    static int points(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_POINTS;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 3 && n <= MAX_POINTS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest(
                "INVALID_MAX_POINTS", "max_points must be a whole number from 3 to " + MAX_POINTS);
    }
}
