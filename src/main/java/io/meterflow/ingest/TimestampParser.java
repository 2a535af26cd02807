package io.meterflow.ingest;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;

/**
 * Turns the timestamp cells of one file into epoch milliseconds.
 *
 * <p>ISO-8601-like cells ({@code 2025-01-15T10:30:00}, {@code 2025-01-15 10:30:00.250-05:00},
 * {@code 2025/01/15 10:30}, with {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}) are parsed
 * from bytes directly; US ({@code 01/15/2025 10:30:00}) and day-first dotted
 * ({@code 15.01.2025 10:30}) forms and epoch seconds or milliseconds are parsed too.
 *
 * <p>A cell with an offset is taken as it is. A cell without one is local time in the meter's
 * timezone, resolved deterministically at DST changes:
 * <ul>
 *   <li>a local time that occurs twice (the autumn overlap) takes the earlier offset, unless that
 *       would put it before the previous row of the same file, in which case it takes the later
 *       offset: a file that runs through the overlap in order keeps both hours;</li>
 *   <li>a local time that does not exist (the spring gap) is moved forward by the length of the
 *       gap, as {@link java.time.ZonedDateTime#ofLocal} does.</li>
 * </ul>
 * One instance per file: it remembers the previous row. Not thread-safe.
 */
public final class TimestampParser {

    /** Returned for a cell that is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final List<DateTimeFormatter> OTHER_FORMATS = List.of(
            new DateTimeFormatterBuilder()
                    .appendPattern("M/d/uuuu H:mm")
                    .optionalStart()
                    .appendPattern(":ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
                    .optionalEnd()
                    .optionalEnd()
                    .optionalStart()
                    .appendPattern(" a")
                    .optionalEnd()
                    .toFormatter(),
            new DateTimeFormatterBuilder()
                    .appendPattern("d.M.uuuu H:mm")
                    .optionalStart()
                    .appendPattern(":ss")
                    .optionalEnd()
                    .toFormatter());

    private final ZoneRules rules;
    private long cachedLocalHour = Long.MIN_VALUE;
    private int cachedOffsetSeconds;
    private long previous = INVALID;

    public TimestampParser(ZoneId zone) {
        this.rules = zone.getRules();
    }

    public long parse(byte[] b, int off, int len) {
        while (len > 0 && b[off] == ' ') {
            off++;
            len--;
        }
        while (len > 0 && b[off + len - 1] == ' ') {
            len--;
        }
        long result = parseIso(b, off, len);
        if (result == INVALID) {
            result = parseOther(new String(b, off, len, StandardCharsets.UTF_8));
        }
        if (result != INVALID) {
            previous = result;
        }
        return result;
    }

    public long parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length);
    }

    private long parseIso(byte[] b, int off, int len) {
        if (len < 16) {
            return INVALID;
        }
        int year = digits(b, off, 4);
        byte s1 = b[off + 4];
        if (year < 0 || (s1 != '-' && s1 != '/') || b[off + 7] != s1) {
            return INVALID;
        }
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        byte t = b[off + 10];
        if (month < 1 || month > 12 || day < 1 || day > 31 || (t != 'T' && t != ' ') || b[off + 13] != ':') {
            return INVALID;
        }
        int hour = digits(b, off + 11, 2);
        int minute = digits(b, off + 14, 2);
        int second = 0;
        int i = off + 16;
        int end = off + len;
        if (i < end && b[i] == ':') {
            second = digits(b, i + 1, Math.min(2, end - i - 1));
            i += 3;
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID;
        }
        int millis = 0;
        if (i < end && (b[i] == '.' || b[i] == ',')) {
            i++;
            int scale = 100;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                millis += (b[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        while (i < end && b[i] == ' ') {
            i++;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return INVALID;
        }
        long localSeconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second;
        if (i == end) {
            return resolveLocal(localSeconds) * 1000 + millis;
        }
        int offsetSeconds = offset(b, i, end);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return INVALID;
        }
        return (localSeconds - offsetSeconds) * 1000 + millis;
    }

    /** Parses {@code Z}, {@code ±HH}, {@code ±HHMM} or {@code ±HH:MM}; MIN_VALUE when it is none of them. */
    private static int offset(byte[] b, int i, int end) {
        int len = end - i;
        if (len == 1 && (b[i] == 'Z' || b[i] == 'z')) {
            return 0;
        }
        if (len < 3 || (b[i] != '+' && b[i] != '-')) {
            return Integer.MIN_VALUE;
        }
        int sign = b[i] == '-' ? -1 : 1;
        int hours = digits(b, i + 1, 2);
        int minutes;
        if (len == 3) {
            minutes = 0;
        } else if (len == 5) {
            minutes = digits(b, i + 3, 2);
        } else if (len == 6 && b[i + 3] == ':') {
            minutes = digits(b, i + 4, 2);
        } else {
            return Integer.MIN_VALUE;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        return sign * (hours * 3600 + minutes * 60);
    }

    private static int digits(byte[] b, int off, int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            int d = b[off + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return count == 0 ? -1 : v;
    }

    private long parseOther(String text) {
        if (text.isEmpty()) {
            return INVALID;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            long n = Long.parseLong(text.length() > 18 ? text.substring(0, 18) : text);
            if (text.length() == 10) {
                return n * 1000;
            }
            if (text.length() == 13) {
                return n;
            }
            return INVALID;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // not ISO with offset; try the local forms
        }
        for (DateTimeFormatter format : OTHER_FORMATS) {
            try {
                LocalDateTime local = LocalDateTime.parse(text.toUpperCase(Locale.ROOT), format);
                long seconds = local.toEpochSecond(ZoneOffset.UTC);
                return resolveLocal(seconds) * 1000 + local.getNano() / 1_000_000;
            } catch (DateTimeParseException ignored) {
                // next format
            }
        }
        return INVALID;
    }

    /** Local seconds (as if UTC) to epoch seconds, by the DST rules documented on this class. */
    long resolveLocal(long localSeconds) {
        long localHour = Math.floorDiv(localSeconds, 3600);
        if (localHour != cachedLocalHour) {
            cacheHour(localHour);
        }
        if (cachedLocalHour == localHour && cachedOffsetSeconds != Integer.MIN_VALUE) {
            return localSeconds - cachedOffsetSeconds;
        }
        LocalDateTime local = LocalDateTime.ofEpochSecond(localSeconds, 0, ZoneOffset.UTC);
        List<ZoneOffset> valid = rules.getValidOffsets(local);
        if (valid.size() == 1) {
            return localSeconds - valid.get(0).getTotalSeconds();
        }
        if (valid.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return localSeconds
                    + gap.getDuration().getSeconds()
                    - gap.getOffsetAfter().getTotalSeconds();
        }
        long earlier = localSeconds - valid.get(0).getTotalSeconds();
        long later = localSeconds - valid.get(1).getTotalSeconds();
        if (previous != INVALID && earlier * 1000 < previous && later * 1000 >= previous) {
            return later;
        }
        return earlier;
    }

    /** Caches the offset of a local hour when one offset holds for all of it. */
    private void cacheHour(long localHour) {
        cachedLocalHour = localHour;
        cachedOffsetSeconds = Integer.MIN_VALUE;
        LocalDateTime start = LocalDateTime.ofEpochSecond(localHour * 3600, 0, ZoneOffset.UTC);
        List<ZoneOffset> atStart = rules.getValidOffsets(start);
        List<ZoneOffset> atEnd = rules.getValidOffsets(start.plusSeconds(3599));
        if (atStart.size() == 1 && atStart.equals(atEnd)) {
            Instant startInstant = start.toInstant(atStart.get(0));
            ZoneOffsetTransition next = rules.nextTransition(startInstant);
            if (next == null || next.getInstant().getEpochSecond() >= startInstant.getEpochSecond() + 3600) {
                cachedOffsetSeconds = atStart.get(0).getTotalSeconds();
            }
        }
    }
}
