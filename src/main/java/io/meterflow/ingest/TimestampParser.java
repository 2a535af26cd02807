package io.meterflow.ingest;

import io.meterflow.series.Sample;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;

/**
 * Turns the timestamp cells of one file (or payload) into epoch milliseconds.
 *
 * <p>ISO-8601-like cells ({@code 2025-01-15T10:30:00}, {@code 2025-01-15 10:30:00.250-05:00},
 * {@code 2025/01/15 10:30}, with {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}) are parsed
 * from bytes directly; US ({@code 01/15/2025 10:30:00}) and day-first dotted
 * ({@code 15.01.2025 10:30}) forms, epoch seconds or milliseconds, display forms with a month
 * name ({@code 05-Nov-25 2:19:58 PM MST}, {@code 5 Okt 2025 14:19}; the languages of
 * {@link TimestampFormats}, 12 or 24 hours, an optional zone) and the configured patterns are
 * parsed too.
 *
 * <p>A cell with an offset (or {@code UTC}, {@code GMT}) is taken as it is. A cell without one is
 * local time in the zone given (the meter's, or the one a file's header names); a zone
 * abbreviation ({@code MST}, {@code MDT}) only chooses between the two offsets of the autumn
 * overlap. Local times are resolved deterministically at DST changes:
 * <ul>
 *   <li>a local time that occurs twice (the autumn overlap) is read in the direction the file
 *       runs. Oldest first: the earlier offset, unless that would put it before the previous row
 *       (or on it, in a file whose rows are an hour or more apart), in which case the later
 *       offset. Newest first, mirrored: the later offset, unless that would put it after (or
 *       on) the previous row, in which case the earlier. Either way a file that runs through
 *       the overlap keeps both hours;</li>
 *   <li>a local time that does not exist (the spring gap) is moved forward by the length of the
 *       gap, as {@link java.time.ZonedDateTime#ofLocal} does.</li>
 * </ul>
 * One instance per file: it remembers the previous rows. Not thread-safe.
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
                    .toFormatter(Locale.ENGLISH),
            new DateTimeFormatterBuilder()
                    .appendPattern("d.M.uuuu H:mm")
                    .optionalStart()
                    .appendPattern(":ss")
                    .optionalEnd()
                    .toFormatter(Locale.ENGLISH));

    private final ZoneId zone;
    private final ZoneRules rules;
    private final TimestampFormats formats;
    private final boolean newestFirst;
    private long cachedLocalHour = Long.MIN_VALUE;
    private int cachedOffsetSeconds;
    /** The last date parsed ((year × 100 + month) × 100 + day) and its epoch day. */
    private int cachedDayKey = -1;

    private long cachedEpochDay;
    private long previous = INVALID;
    private long previousStep = -1;

    /** Oldest-first rows, built-in forms only. */
    public TimestampParser(ZoneId zone) {
        this(zone, TimestampFormats.DEFAULT, false);
    }

    /** Local times in {@code zone}; {@code newestFirst}: the rows run backwards in time (eGauge, TED exports). */
    public TimestampParser(ZoneId zone, TimestampFormats formats, boolean newestFirst) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.formats = formats;
        this.newestFirst = newestFirst;
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
        if (result != INVALID && !Sample.usableTime(result)) {
            result = INVALID; // before 1970 or after 9999: not a meter reading
        }
        if (result != INVALID) {
            if (previous != INVALID && result != previous) {
                previousStep = Math.abs(result - previous);
            }
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
        int dayKey = (year * 100 + month) * 100 + day;
        if (dayKey == cachedDayKey) {
            epochDay = cachedEpochDay; // a file's rows are mostly of one day
        } else {
            try {
                epochDay = LocalDate.of(year, month, day).toEpochDay();
            } catch (DateTimeException e) {
                return INVALID;
            }
            cachedDayKey = dayKey;
            cachedEpochDay = epochDay;
        }
        long localSeconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second;
        if (i == end) {
            return resolveLocal(localSeconds) * 1000 + millis;
        }
        int offsetSeconds = offset(b, i, end);
        if (offsetSeconds == Integer.MIN_VALUE) {
            offsetSeconds = namedOffset(b, i, end); // "2025-01-15 10:30:00 UTC"
            if (offsetSeconds == Integer.MIN_VALUE) {
                return INVALID;
            }
        }
        return (localSeconds - offsetSeconds) * 1000 + millis;
    }

    /** {@code UTC}, {@code GMT}, {@code UTC+01:00} after a time, in seconds; MIN_VALUE when it is none of them. */
    private static int namedOffset(byte[] b, int i, int end) {
        if (i >= end || end - i > 9) {
            return Integer.MIN_VALUE;
        }
        ZoneOffset named = fixedOffset(new String(b, i, end - i, StandardCharsets.UTF_8));
        return named == null ? Integer.MIN_VALUE : named.getTotalSeconds();
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
        long display = parseDisplay(text);
        if (display != INVALID) {
            return display;
        }
        for (DateTimeFormatter format : formats.patterns()) {
            try {
                TemporalAccessor t = format.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
                if (t instanceof ZonedDateTime z) {
                    return z.toInstant().toEpochMilli();
                }
                LocalDateTime local = (LocalDateTime) t;
                return resolveLocal(local.toEpochSecond(ZoneOffset.UTC)) * 1000 + local.getNano() / 1_000_000;
            } catch (DateTimeException | ArithmeticException ignored) {
                // next pattern
            }
        }
        return INVALID;
    }

    /**
     * A display form with a month name: day, month, year (2 or 4 digits), then the time of day
     * (12 hours with a marker, or 24), then optionally a zone: {@code 05-Nov-25 2:19:58 PM MST}.
     */
    private long parseDisplay(String text) {
        Scanner sc = new Scanner(text);
        int day = sc.digits(1, 2);
        if (day < 1 || !sc.separator()) {
            return INVALID;
        }
        int month = formats.month(sc.word());
        if (month == 0 || !sc.separator()) {
            return INVALID;
        }
        int yearStart = sc.pos;
        int year = sc.digits(2, 4);
        if (year < 0 || sc.pos - yearStart == 3) {
            return INVALID;
        }
        if (sc.pos - yearStart == 2) {
            year += 2000; // Niagara's YY: this century
        }
        if (!sc.spaces()) {
            return INVALID;
        }
        int hour = sc.digits(1, 2);
        if (hour < 0 || !sc.literal(':')) {
            return INVALID;
        }
        int minute = sc.digits(2, 2);
        int second = 0;
        int millis = 0;
        if (sc.literal(':')) {
            second = sc.digits(2, 2);
            if (sc.literal('.') || sc.literal(',')) {
                int start = sc.pos;
                int fraction = sc.digits(1, 9);
                int digits = sc.pos - start;
                millis = (int) (fraction * Math.pow(10, 3 - digits));
            }
        }
        if (minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID;
        }
        String marker = null;
        String zoneText = null;
        if (sc.spaces()) {
            String next = sc.rest();
            int space = next.indexOf(' ');
            String first = space < 0 ? next : next.substring(0, space);
            if (formats.afternoon(first) != null) {
                marker = first;
                zoneText = space < 0 ? null : next.substring(space + 1).trim();
            } else {
                zoneText = next.trim();
            }
        } else if (!sc.atEnd()) {
            return INVALID;
        }
        if (marker != null) {
            if (hour < 1 || hour > 12) {
                return INVALID;
            }
            hour = hour % 12 + (formats.afternoon(marker) ? 12 : 0);
        } else if (hour > 23) {
            return INVALID;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, minute, second);
        } catch (DateTimeException e) {
            return INVALID;
        }
        long localSeconds = local.toEpochSecond(ZoneOffset.UTC);
        if (zoneText == null || zoneText.isEmpty()) {
            return resolveLocal(localSeconds) * 1000 + millis;
        }
        ZoneOffset fixed = fixedOffset(zoneText);
        if (fixed != null) {
            return (localSeconds - fixed.getTotalSeconds()) * 1000 + millis;
        }
        if (!zoneText.chars().allMatch(Character::isLetter) || zoneText.length() < 2 || zoneText.length() > 6) {
            return INVALID;
        }
        List<ZoneOffset> valid = rules.getValidOffsets(local);
        if (valid.size() > 1) {
            for (ZoneOffset o : valid) {
                ZonedDateTime candidate = ZonedDateTime.ofLocal(local, zone, o);
                for (DateTimeFormatter abbreviation : formats.abbreviations()) {
                    if (candidate.format(abbreviation).equalsIgnoreCase(zoneText)) {
                        return (localSeconds - o.getTotalSeconds()) * 1000 + millis;
                    }
                }
            }
        }
        return resolveLocal(localSeconds) * 1000 + millis;
    }

    /** {@code UTC}, {@code GMT}, {@code Z}, {@code UTC+01:00}, {@code GMT-5}, {@code +0100}; null for anything else. */
    public static ZoneOffset fixedOffset(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("UTC") || t.equals("GMT") || t.equals("Z") || t.equals("UT")) {
            return ZoneOffset.UTC;
        }
        String sign = t;
        for (String prefix : new String[] {"UTC", "GMT"}) {
            if (t.startsWith(prefix)) {
                sign = t.substring(prefix.length());
            }
        }
        if (sign.length() < 2 || (sign.charAt(0) != '+' && sign.charAt(0) != '-')) {
            return null;
        }
        String digits = sign.substring(1).replace(":", "");
        if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 4) {
            return null;
        }
        try {
            int hours = Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
            int minutes = digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
            int total = hours * 3600 + minutes * 60;
            return ZoneOffset.ofTotalSeconds(sign.charAt(0) == '-' ? -total : total);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** Reads a display form left to right. */
    private static final class Scanner {
        final String s;
        int pos;

        Scanner(String s) {
            this.s = s;
        }

        /** Between {@code min} and {@code max} digits as a number; -1 when fewer than {@code min}. */
        int digits(int min, int max) {
            int start = pos;
            int v = 0;
            while (pos < s.length() && pos - start < max && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                v = v * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            return pos - start < min ? -1 : v;
        }

        /** The separators between day, month and year: a run of '-', '/', '.' and spaces. */
        boolean separator() {
            int start = pos;
            while (pos < s.length() && "-/. ".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            return pos > start;
        }

        /** Letters of a month name, with its dots ("Sept.", "déc."). */
        String word() {
            int start = pos;
            while (pos < s.length() && (Character.isLetter(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        boolean spaces() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
            return pos > start && pos < s.length();
        }

        boolean literal(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        boolean atEnd() {
            return pos == s.length();
        }

        String rest() {
            return s.substring(pos);
        }
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
        long earlier = (localSeconds - valid.get(0).getTotalSeconds()) * 1000;
        long later = (localSeconds - valid.get(1).getTotalSeconds()) * 1000;
        long overlap = later - earlier;
        // on the previous row: the same local time twice, the second of the two hours when rows are that far apart
        boolean coarse = previousStep >= overlap;
        if (previous == INVALID) {
            return (newestFirst ? later : earlier) / 1000;
        }
        if (newestFirst) {
            boolean past = later > previous || (later == previous && coarse);
            return (past && earlier <= previous ? earlier : later) / 1000;
        }
        boolean behind = earlier < previous || (earlier == previous && coarse);
        return (behind && later >= previous ? later : earlier) / 1000;
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
