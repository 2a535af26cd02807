package io.meterflow.export;

import io.meterflow.series.Aggregation;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.Resolution;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a composite-CSV request body (the CSV server's {@code mac_address, start_datetime,
 * end_datetime, resolution, base_filename}, the export service's {@code smart_meter_id}, plus
 * {@code meters}, {@code aggregation}, {@code timezone}) and validates it, with {@link ExportException}s:
 * an unknown meter is {@code METER_NOT_FOUND}; everything else is an invalid request.
 */
public final class ExportRequestParser {

    private static final Pattern SAFE_BASE = Pattern.compile("[A-Za-z0-9._-]{0,100}");

    private static final Duration SHORTEST = Duration.ofMinutes(1);

    private final MeterRegistry registry;
    private final ExportLimits limits;
    private final Clock clock;

    public ExportRequestParser(MeterRegistry registry, ExportLimits limits, Clock clock) {
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
    }

    /** The fields a request may have; others are ignored (and not stored with a job). */
    public static final List<String> FIELDS = List.of(
            "mac_address",
            "smart_meter_id",
            "meters",
            "start_datetime",
            "end_datetime",
            "resolution",
            "aggregation",
            "timezone",
            "base_filename",
            "format",
            "include_empty");

    /** A request under the rules of {@code contract} (the endpoint it came to). */
    public ExportRequest parse(Map<String, Object> body, ClientContract contract) {
        List<Meter> meters = meters(body, contract);
        ZoneId zone = meters.get(0).zone();
        if (body.get("timezone") != null) {
            try {
                zone = ZoneId.of(body.get("timezone").toString());
            } catch (DateTimeException e) {
                throw ExportException.invalid(
                        "INVALID_TIMEZONE", "timezone is not an IANA timezone: " + body.get("timezone"));
            }
        }
        Instant start = instant(body, "start_datetime", zone);
        Instant end = instant(body, "end_datetime", zone);
        if (!end.isAfter(start)) {
            throw ExportException.invalid("INVALID_RANGE", "end_datetime must be after start_datetime");
        }
        if (contract.pastRangesOnly()) {
            if (end.isAfter(clock.instant())) {
                throw ExportException.invalid(
                        "FUTURE_DATETIME", "end_datetime is in the future: a range must lie in the past");
            }
            if (Duration.between(start, end).compareTo(SHORTEST) < 0) {
                throw ExportException.invalid("RANGE_TOO_SMALL", "the range is shorter than 1 minute");
            }
        }
        Resolution resolution;
        try {
            resolution = Resolution.parse(text(body, "resolution", "1min"));
        } catch (IllegalArgumentException e) {
            throw ExportException.invalid("INVALID_RESOLUTION", e.getMessage());
        }
        Aggregation aggregation;
        try {
            aggregation = Aggregation.parse(
                    text(body, "aggregation", contract.defaultAggregation().key()));
        } catch (IllegalArgumentException e) {
            throw ExportException.invalid("INVALID_AGGREGATION", e.getMessage());
        }
        Duration limit = resolution == Resolution.SEC_1 ? limits.maxRangeAtOneSecond() : limits.maxRange();
        if (Duration.between(start, end).compareTo(limit) > 0) {
            throw ExportException.invalid(
                    "RANGE_TOO_LARGE",
                    "the range is longer than the limit of " + days(limit) + " days for resolution "
                            + resolution.key());
        }
        String format = text(body, "format", "csv");
        if (!format.equalsIgnoreCase("csv")) {
            throw ExportException.invalid("INVALID_FORMAT", "format must be csv");
        }
        String base =
                text(body, "base_filename", meters.size() == 1 ? meters.get(0).serial() : "composite-");
        if (!SAFE_BASE.matcher(base).matches()) {
            throw ExportException.invalid(
                    "INVALID_FILENAME", "base_filename may hold only letters, digits, '.', '_' and '-' (at most 100)");
        }
        return new ExportRequest(meters, start, end, resolution, aggregation, zone, base, includeEmpty(body, contract));
    }

    private static boolean includeEmpty(Map<String, Object> body, ClientContract contract) {
        Object v = body.get("include_empty");
        if (v == null) {
            return contract.includeEmptyByDefault();
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v.toString().equalsIgnoreCase("true") || v.toString().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v.toString());
        }
        throw ExportException.invalid("INVALID_INCLUDE_EMPTY", "include_empty must be true or false");
    }

    private List<Meter> meters(Map<String, Object> body, ClientContract contract) {
        List<String> ids = new ArrayList<>();
        Object list = body.get("meters");
        if (list instanceof List<?> l) {
            if (l.size() > limits.maxMeters()) {
                throw ExportException.invalid(
                        "TOO_MANY_METERS", l.size() + " meters; an export holds at most " + limits.maxMeters());
            }
            for (Object o : l) {
                String id = meterId(o, "meters");
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        } else if (list != null) {
            throw ExportException.invalid("INVALID_METERS", "meters must be a list of meter ids");
        }
        for (String key : new String[] {"mac_address", "smart_meter_id"}) {
            if (body.get(key) != null && !ids.contains(meterId(body.get(key), key))) {
                ids.add(0, meterId(body.get(key), key));
            }
        }
        if (ids.isEmpty()) {
            throw ExportException.invalid("MISSING_FIELD", "mac_address (or smart_meter_id, or meters) is required");
        }
        List<Meter> meters = new ArrayList<>();
        for (String id : ids) {
            Meter m = registry.find(id);
            if (m == null) {
                if (contract == ClientContract.EXPORT_SERVICE) {
                    // the export service answered a validation error (400) for an unknown meter
                    throw new ExportException(
                            ExportException.Kind.INVALID,
                            contract.meterNotFoundCode(),
                            "Smart meter with ID '" + id + "' not found",
                            "The specified smart meter does not exist in the system");
                }
                throw ExportException.notFound(
                        contract.meterNotFoundCode(),
                        "Meter '" + id + "' not found",
                        "The meter is neither in config/meters.yaml nor has any data been ingested for it");
            }
            meters.add(m);
        }
        return meters;
    }

    /** A meter id is a text (a number is taken as its digits); a list or object is a mistake. */
    private static String meterId(Object value, String field) {
        if (value instanceof String || value instanceof Number) {
            return value.toString();
        }
        throw ExportException.invalid(
                "INVALID_METER_ID",
                field + " must hold meter ids as texts, not "
                        + (value == null ? "null" : "a " + (value instanceof List ? "list" : "JSON object")));
    }

    /** ISO 8601 with an offset, or without one (then in {@code zone}). */
    private static Instant instant(Map<String, Object> body, String key, ZoneId zone) {
        Object value = body.get(key);
        if (value == null) {
            throw ExportException.invalid("MISSING_FIELD", key + " is required");
        }
        try {
            return IsoTimes.parse(value.toString(), zone);
        } catch (DateTimeParseException e) {
            throw ExportException.invalid("INVALID_DATETIME", key + " is not an ISO 8601 date-time: " + value);
        }
    }

    private static String text(Map<String, Object> body, String key, String fallback) {
        Object v = body.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    private static String days(Duration d) {
        return d.toHours() % 24 == 0 ? Long.toString(d.toDays()) : String.format("%.2f", d.toHours() / 24.0);
    }
}
