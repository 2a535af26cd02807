package io.meterflow.source.niagara.http;

import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraStatus;
import io.meterflow.source.niagara.UnusablePayload;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
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
 * zone abbreviation ({@code 05-Nov-25 2:19:58 PM MST}): the local time is read in the station's
 * IANA zone, and the abbreviation only picks the offset in the autumn overlap. Values: numbers
 * (a leading space before negatives, a unit suffix), or On/Off and true/false as 1/0.
 */
public final class NiagaraCsvParser {

    /** The rows and the unit ({@code null} when the header names none). */
    public record Parsed(List<HistoryRow> rows, String unit, int skipped) {}

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("d-MMM-yy h:mm")
            .optionalStart()
            .appendPattern(":ss")
            .optionalEnd()
            .appendPattern(" a")
            .toFormatter(Locale.ENGLISH);
    private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("z", Locale.ENGLISH);
    private static final Pattern UNIT = Pattern.compile(".*\\((.+)\\)\\s*$");
    private static final Pattern NUMBER = Pattern.compile("^\\s*([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    private NiagaraCsvParser() {}

    public static Parsed parse(String text, ZoneId zone) throws UnusablePayload {
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
            Long millis = timestamp(cells[0].trim(), zone);
            Double value = value(cells[valueCol]);
            if (millis == null || value == null) {
                skipped++;
                continue;
            }
            int status = statusCol >= 0 ? NiagaraStatus.bits(cells[statusCol]) : 0;
            rows.add(new HistoryRow(millis, value, status));
        }
        return new Parsed(rows, unitText, skipped);
    }

    /** {@code 05-Nov-25 2:19:58 PM MST} in the station's zone; null when it does not parse. */
    static Long timestamp(String cell, ZoneId zone) {
        int lastSpace = cell.lastIndexOf(' ');
        if (lastSpace < 0) {
            return null;
        }
        String abbreviation = cell.substring(lastSpace + 1);
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(cell.substring(0, lastSpace).trim(), LOCAL);
        } catch (DateTimeParseException e) {
            try {
                local = LocalDateTime.parse(cell.trim(), LOCAL);
                abbreviation = "";
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.size() > 1) {
            for (ZoneOffset o : offsets) {
                if (ZonedDateTime.ofLocal(local, zone, o).format(ABBREVIATION).equalsIgnoreCase(abbreviation)) {
                    return local.toInstant(o).toEpochMilli();
                }
            }
        }
        return ZonedDateTime.ofLocal(local, zone, null).toInstant().toEpochMilli();
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
