package io.meterflow.source.file;

import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Unit;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One heading of a meter file's header row, split into the name and what it says besides: a unit
 * in brackets or parentheses ({@code Ep_Imp [kWh]}, {@code Value (°F)}, {@code Main (kWhs)}) or an
 * energy or power unit after a space ({@code Active energy Wh}, {@code power, kW}), and a timezone
 * ({@code Time Bucket (America/Chicago)}, {@code Date/time UTC}). A heading that is only a unit
 * ({@code kWh}) keeps it as its name too.
 */
record ColumnHeading(String text, String name, Unit unit, ZoneId zone) {

    private static final Pattern BRACKETED = Pattern.compile("^(.*?)[\\s,]*[\\[(]([^\\[\\]()]+)[\\])]\\s*$");
    private static final Pattern TRAILING = Pattern.compile("^(.*?\\S)[\\s,]+(\\S+)$");

    /** The longest bracketed text taken as a unit when it is not a unit the engine knows ({@code m³/h}, {@code °F}). */
    private static final int MAX_OTHER_UNIT = 8;

    /** Headings read so far (files of one meter repeat their header row): at most this many are kept. */
    private static final int MAX_KNOWN = 4096;

    private static final Map<String, ColumnHeading> KNOWN = new ConcurrentHashMap<>();

    /** The heading of {@code text}, read once for every file that repeats it. */
    static ColumnHeading of(String text) {
        ColumnHeading h = KNOWN.get(text);
        if (h == null) {
            h = parse(text);
            if (KNOWN.size() >= MAX_KNOWN) {
                KNOWN.clear();
            }
            KNOWN.put(text, h);
        }
        return h;
    }

    static ColumnHeading parse(String text) {
        String t = text.trim();
        Matcher m = BRACKETED.matcher(t);
        if (m.matches() && !m.group(1).isBlank()) {
            String inside = m.group(2).trim();
            ZoneId zone = zone(inside);
            if (zone != null) {
                return new ColumnHeading(text, m.group(1).trim(), null, zone);
            }
            if (Unit.known(inside) != null || (inside.length() <= MAX_OTHER_UNIT && !inside.contains(" "))) {
                return new ColumnHeading(text, m.group(1).trim(), Unit.of(inside), null);
            }
        }
        m = TRAILING.matcher(t);
        if (m.matches()) {
            String last = m.group(2);
            ZoneId zone = last.contains("/") || last.length() <= 3 ? zone(last) : null;
            if (zone != null) {
                return new ColumnHeading(text, m.group(1).trim(), null, zone);
            }
            Unit unit = Unit.known(last);
            if (unit != null && unit.quantity() != Unit.Quantity.OTHER) {
                return new ColumnHeading(text, m.group(1).trim(), unit, null);
            }
        }
        Unit whole = Unit.known(t);
        if (whole != null && whole.quantity() != Unit.Quantity.OTHER) {
            // "kWh", "kw": the unit is the name; a converted one is named as stored ("W" holds kW)
            return new ColumnHeading(text, whole.decimalShift() == 0 ? t : whole.symbol(), whole, null);
        }
        return new ColumnHeading(text, t, null, null);
    }

    /** The heading without its unit or zone, lower case, for matching names. */
    String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** An IANA zone id, or UTC, GMT or a fixed offset ({@code UTC+01:00}); null for anything else. */
    private static ZoneId zone(String text) {
        ZoneOffset fixed = TimestampParser.fixedOffset(text);
        if (fixed != null) {
            return fixed.getTotalSeconds() == 0 ? ZoneOffset.UTC : fixed;
        }
        if (!text.contains("/")) {
            return null;
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            return null;
        }
    }
}
