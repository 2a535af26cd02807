package io.meterflow.source.file;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timestamp a meter file's name carries, in every naming scheme the meters use:
 * <ul>
 *   <li>Unity: {@code AN53111387-H-2025-11-06T15-00-00-0800-1min.csv} (with its UTC offset)</li>
 *   <li>standard: {@code 20240115_103000.csv}, {@code 20240115T103000.csv}</li>
 *   <li>dash: {@code 2024-01-15_10-30-00.csv}</li>
 *   <li>short: {@code 240115.1030.csv} (yyMMdd.HHmm)</li>
 * </ul>
 * A name without an offset is local time in the meter's timezone. A name with no recognisable
 * timestamp yields nothing: its file is still ingested from its contents.
 */
public final class FilenameTimestamps {

    private record Scheme(Pattern pattern, boolean shortYear) {}

    private static final List<Scheme> SCHEMES = List.of(
            // Unity: yyyy-MM-ddTHH-mm-ss[+-]hhmm
            new Scheme(Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2})-(\\d{2})-(\\d{2})([+-]\\d{4})?"), false),
            // standard: yyyyMMdd_HHmmss or yyyyMMddTHHmmss
            new Scheme(Pattern.compile("(?<!\\d)(\\d{4})(\\d{2})(\\d{2})[_T](\\d{2})(\\d{2})(\\d{2})(?!\\d)()"), false),
            // dash: yyyy-MM-dd_HH-mm-ss
            new Scheme(Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})_(\\d{2})-(\\d{2})-(\\d{2})()"), false),
            // short: yyMMdd.HHmm
            new Scheme(Pattern.compile("(?<!\\d)(\\d{2})(\\d{2})(\\d{2})\\.(\\d{2})(\\d{2})(?!\\d)()()"), true));

    private FilenameTimestamps() {}

    public static Optional<Instant> parse(String fileName, ZoneId zone) {
        for (Scheme scheme : SCHEMES) {
            Matcher m = scheme.pattern().matcher(fileName);
            while (m.find()) {
                Optional<Instant> instant = toInstant(m, scheme.shortYear(), zone);
                if (instant.isPresent()) {
                    return instant;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> toInstant(Matcher m, boolean shortYear, ZoneId zone) {
        try {
            int year = Integer.parseInt(m.group(1)) + (shortYear ? 2000 : 0);
            int second = shortYear || m.group(6).isEmpty() ? 0 : Integer.parseInt(m.group(6));
            LocalDateTime local = LocalDateTime.of(
                    year,
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    second);
            String offset = m.groupCount() >= 7 ? m.group(7) : null;
            if (offset != null && !offset.isEmpty()) {
                return Optional.of(local.toInstant(ZoneOffset.of(offset)));
            }
            return Optional.of(local.atZone(zone).toInstant());
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
