package io.meterflow.source.niagara.http;

import io.meterflow.ingest.TimestampFormats;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Sample;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraStatus;
import io.meterflow.source.niagara.UnusablePayload;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Niagara history CSV exports: the plain {@code BITableToCsv} file ({@code Timestamp,Value (°F)})
 * and the Workbench table export (title line, range line, blank line, then
 * {@code Timestamp,Trend Flags,Status,Value (°F)} with the unit repeated in each value cell).
 * A byte-order mark is skipped; the unit comes from the header. Timestamps are display text with a
 * zone abbreviation ({@code 05-Nov-25 2:19:58 PM MST}, in the languages and patterns of
 * {@link TimestampFormats}), read by the same {@link TimestampParser} as meter files: the local
 * time in the station's IANA zone, the abbreviation only picking the offset in the autumn overlap.
 * Values: numbers (a leading space before negatives, a unit suffix), or On/Off and true/false as
 * 1/0. Only the Workbench export has a status; rows of the plain one have none.
 */
public final class NiagaraCsvParser {

    /** The rows and the unit ({@code null} when the header names none). */
    public record Parsed(List<HistoryRow> rows, String unit, int skipped) {}

    private static final Pattern UNIT = Pattern.compile(".*\\((.+)\\)\\s*$");
    private static final Pattern NUMBER = Pattern.compile("^\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    private NiagaraCsvParser() {}

    public static Parsed parse(String text, ZoneId zone) throws UnusablePayload {
        return parse(text, zone, TimestampFormats.DEFAULT);
    }

    public static Parsed parse(String text, ZoneId zone, TimestampFormats formats) throws UnusablePayload {
        TimestampParser timestamps = new TimestampParser(zone, formats, false);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n");
        int header = -1;
        for (int i = 0; i < lines.length && i < 10; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith("timestamp,")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            throw new UnusablePayload("no 'Timestamp,...' header line");
        }
        String[] columns = lines[header].split(",", -1);
        int valueCol = columns.length - 1;
        int statusCol = -1;
        for (int c = 0; c < columns.length; c++) {
            if (columns[c].trim().equalsIgnoreCase("status")) {
                statusCol = c;
            }
        }
        Matcher unit = UNIT.matcher(columns[valueCol]);
        String unitText = unit.matches() ? unit.group(1).trim() : null;
        List<HistoryRow> rows = new ArrayList<>();
        int skipped = 0;
        for (int i = header + 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            if (cells.length <= valueCol) {
                skipped++;
                continue;
            }
            long millis = timestamps.parse(cells[0].trim());
            Double value = value(cells[valueCol]);
            if (millis == TimestampParser.INVALID || value == null || !Sample.usable(value)) {
                skipped++;
                continue;
            }
            int status = statusCol >= 0 ? NiagaraStatus.bits(cells[statusCol]) : HistoryRow.NO_STATUS;
            rows.add(new HistoryRow(millis, value, status));
        }
        return new Parsed(rows, unitText, skipped);
    }

    static Double value(String cell) {
        String v = cell.trim();
        switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "active" -> {
                return 1.0;
            }
            case "off", "false", "inactive" -> {
                return 0.0;
            }
            default -> {
                Matcher m = NUMBER.matcher(v);
                return m.find() ? Double.parseDouble(m.group(1)) : null;
            }
        }
    }
}
