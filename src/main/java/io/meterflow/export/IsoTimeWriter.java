package io.meterflow.export;

import io.meterflow.series.IsoTimes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Writes instants of one zone as {@link IsoTimes#format} does ({@code 2025-03-09T03:00:00-04:00}),
 * for exports that write one per row: the date's and the offset's bytes are made once per local
 * day and offset, the time of day by arithmetic, instead of a formatter's work per row.
 */
final class IsoTimeWriter {

    private final ZoneId zone;
    private final ZoneRules rules;
    private long day = Long.MIN_VALUE;
    private int offsetSeconds = Integer.MIN_VALUE;
    private byte[] datePrefix;
    private byte[] offsetSuffix;
    /** The zone's offset and the epoch seconds {@code [from, until)} in which it holds. */
    private ZoneOffset offset;

    private long offsetFrom = Long.MAX_VALUE;
    private long offsetUntil = Long.MIN_VALUE;

    IsoTimeWriter(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    void append(CsvBytes out, Instant t) {
        ZoneOffset offset = offsetAt(t);
        int seconds = offset.getTotalSeconds();
        if (seconds % 60 != 0) {
            // an offset with seconds (local mean time before 1900): written as the formatter writes it
            out.append(IsoTimes.format(t, zone));
            return;
        }
        long local = t.getEpochSecond() + seconds;
        long localDay = Math.floorDiv(local, 86_400);
        if (localDay != day || seconds != offsetSeconds) {
            day = localDay;
            offsetSeconds = seconds;
            datePrefix = (LocalDate.ofEpochDay(localDay) + "T").getBytes(StandardCharsets.US_ASCII);
            offsetSuffix = (seconds == 0 ? "+00:00" : offset.getId()).getBytes(StandardCharsets.US_ASCII);
        }
        int secondOfDay = (int) Math.floorMod(local, 86_400);
        out.append(datePrefix);
        two(out, secondOfDay / 3600).append(':');
        two(out, secondOfDay / 60 % 60).append(':');
        two(out, secondOfDay % 60).append(offsetSuffix);
    }

    /** The offset at {@code t}, looked up in the zone's rules only when {@code t} crosses a transition. */
    private ZoneOffset offsetAt(Instant t) {
        long second = t.getEpochSecond();
        if (second < offsetFrom || second >= offsetUntil) {
            offset = rules.getOffset(t);
            ZoneOffsetTransition previous = rules.previousTransition(t.plusSeconds(1));
            ZoneOffsetTransition next = rules.nextTransition(t);
            offsetFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
            offsetUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
        }
        return offset;
    }

    private static CsvBytes two(CsvBytes out, int n) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
