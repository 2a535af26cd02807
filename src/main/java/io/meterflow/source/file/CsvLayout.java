package io.meterflow.source.file;

import io.meterflow.ingest.SignalDescription;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.EnergyKind;
import io.meterflow.series.SignalKind;
import io.meterflow.series.SlotPath;
import io.meterflow.series.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one meter file is laid out, found from its first lines: where the header row is (the first
 * row followed by a row with a date-time and a number; title and preamble lines before it are
 * skipped), or that there is none (the meter's config then names the columns); which column holds
 * the timestamps and in which zone (one named in its heading, else the meter's); which columns
 * are signals, with their names and units (row-number columns such as {@code No.} are not); whether
 * the rows run newest first; and, for energy columns, whether they are registers or amounts per
 * interval. A Niagara history export's value column is named after its history.
 */
final class CsvLayout {

    /** How much of a file is read to find its layout. */
    static final int SNIFF_BYTES = 128 * 1024;

    static final int SNIFF_LINES = 300;

    /** How many lines a title or preamble may take before the header row. */
    static final int HEADER_SEARCH_LINES = 50;

    private static final Pattern TIMESTAMP_NAME = Pattern.compile(
            "timestamp|time|date|datetime|ts|date_time|date time|date/time|date & time|date and time|time stamp"
                    + "|time bucket|interval start|start time|reading time|local time");
    private static final Pattern ROW_NUMBER_NAME =
            Pattern.compile("no|no\\.|#|nr|nr\\.|n°|index|idx|row|record|record no\\.?|seq|sequence");
    private static final Set<String> NIAGARA_TEXT_COLUMNS = Set.of("trend flags", "status");

    /** The line number (from 1) of the first row to read as data. */
    long firstDataLine;

    /** The columns of the header (or of the meter's config). */
    int columnCount;

    int timestampColumn;
    ZoneId zone;
    boolean newestFirst;
    String[] signals;
    int[] sourceColumn;
    int[] shift;
    SignalDescription[] descriptions;
    /** On/Off, true/false as 1/0 (Niagara exports of boolean points). */
    boolean booleans;

    long blankLinesBefore;

    private Unit[] units;
    private String[] displayNames;

    /** One line of the head of the file. */
    private record Line(long number, String[] cells, boolean blank) {}

    private CsvLayout() {}

    static CsvLayout detect(CsvLineReader reader, FileContext ctx) throws IOException, FileRejectedException {
        CsvLayout layout = new CsvLayout();
        List<Line> lines = head(reader, layout);
        TimestampParser probe = new TimestampParser(ctx.zone(), ctx.formats(), false);
        DataRows data = new DataRows(lines, probe);
        String[] header;
        int headerIndex = -1;
        int firstData;
        if (data.is(0)) {
            if (ctx.columns().isEmpty()) {
                throw new FileRejectedException("no header row: the first line holds data, not column names"
                        + " (name the columns of this meter's files in meters.yaml: columns)");
            }
            header = ctx.columns().toArray(new String[0]);
            firstData = 0;
        } else {
            headerIndex = headerRow(lines, data);
            header = lines.get(headerIndex).cells();
            if (header.length < 2) {
                throw new FileRejectedException("not a CSV file (the "
                        + (headerIndex == 0 ? "first line" : "header row")
                        + " has no comma-separated columns)");
            }
            firstData = headerIndex + 1;
            for (int i = 0; i < headerIndex; i++) {
                if (lines.get(i).blank()) {
                    layout.blankLinesBefore++;
                }
            }
            if (header.length > MeterCsvParser.MAX_COLUMNS + 1) {
                throw new FileRejectedException(
                        header.length + " columns; a file may hold at most " + MeterCsvParser.MAX_COLUMNS + " signals");
            }
            for (int i = 0; i < header.length; i++) {
                if (header[i].length() > MeterCsvParser.MAX_NAME) {
                    throw new FileRejectedException("column " + (i + 1) + " has a name longer than "
                            + MeterCsvParser.MAX_NAME + " characters: " + header[i].substring(0, 40) + "...");
                }
            }
        }
        layout.firstDataLine = firstData < lines.size()
                ? lines.get(firstData).number()
                : lines.get(lines.size() - 1).number() + 1;
        layout.columnCount = header.length;
        ColumnHeading[] headings = new ColumnHeading[header.length];
        for (int i = 0; i < header.length; i++) {
            headings[i] = ColumnHeading.of(header[i]);
        }
        Line firstRow = null;
        for (int i = firstData; i < lines.size() && firstRow == null; i++) {
            if (!lines.get(i).blank()) {
                firstRow = lines.get(i);
            }
        }
        int ts = timestampColumnByName(headings);
        if (ts < 0) {
            if (firstRow == null) {
                throw new FileRejectedException(
                        "no timestamp column (no column named timestamp, time, date, datetime or ts)");
            }
            ts = timestampColumnByValue(firstRow.cells(), headings.length, probe);
            if (ts < 0) {
                throw new FileRejectedException(
                        "no timestamp column (no column named timestamp, time, date, datetime or ts, "
                                + "and no column holds date-times)");
            }
        }
        if (firstRow == null) {
            throw new FileRejectedException("no data rows after the header");
        }
        layout.timestampColumn = ts;
        layout.zone = headings[ts].zone() != null ? headings[ts].zone() : ctx.zone();
        layout.signalColumns(headings, ts);
        layout.niagaraHistory(headings, lines, headerIndex, ctx.fileName());
        layout.sniff(lines.subList(firstData, lines.size()), ctx);
        return layout;
    }

    /**
     * The first lines of the file from its first one that is not blank (those before it are
     * counted in {@code layout}), up to {@link #SNIFF_LINES} or {@link #SNIFF_BYTES}, as text.
     * A method of its own, so that the JIT compiles this loop apart from the rest of the detection.
     */
    private static List<Line> head(CsvLineReader reader, CsvLayout layout) throws IOException, FileRejectedException {
        if (!reader.next()) {
            throw new FileRejectedException("file is empty");
        }
        while (reader.isBlank()) {
            layout.blankLinesBefore++;
            if (!reader.next()) {
                throw new FileRejectedException("file is empty (only blank lines)");
            }
        }
        requireText(reader);
        List<Line> lines = new ArrayList<>();
        do {
            String[] cells = new String[reader.fieldCount];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = reader.field(i);
            }
            lines.add(new Line(reader.lineNumber(), cells, reader.isBlank()));
        } while (lines.size() < SNIFF_LINES && reader.bytesRead() < SNIFF_BYTES && reader.next());
        return lines;
    }

    /**
     * The first line of names (two or more cells, mostly not numbers) after which, past blank
     * lines and rows that are not usable data (a timestamp out of range), a data row comes before
     * another line of names; else the first line (a file of epoch timestamps, say).
     */
    private static int headerRow(List<Line> lines, DataRows data) {
        for (int i = 0; i < lines.size() && i < HEADER_SEARCH_LINES; i++) {
            if (!names(lines.get(i), data.is(i))) {
                continue;
            }
            for (int next = i + 1; next < lines.size(); next++) {
                if (data.is(next)) {
                    return i;
                }
                if (names(lines.get(next), false)) {
                    break;
                }
            }
        }
        return 0;
    }

    /** Which lines are rows of data, found as the header search asks (most lines it never looks at). */
    private static final class DataRows {
        private final List<Line> lines;
        private final TimestampParser probe;
        private final Boolean[] known;

        DataRows(List<Line> lines, TimestampParser probe) {
            this.lines = lines;
            this.probe = probe;
            this.known = new Boolean[lines.size()];
        }

        boolean is(int i) {
            if (known[i] == null) {
                known[i] = !lines.get(i).blank() && dataRow(lines.get(i).cells(), probe);
            }
            return known[i];
        }
    }

    /** A line that may name columns: not data, two or more cells, fewer numbers than other cells. */
    private static boolean names(Line l, boolean data) {
        if (l.blank() || data) {
            return false;
        }
        int cells = 0;
        int numbers = 0;
        for (String c : l.cells()) {
            if (!c.isEmpty()) {
                cells++;
                byte[] b = c.getBytes(StandardCharsets.UTF_8);
                if (!Double.isNaN(NumberParser.parse(b, 0, b.length))) {
                    numbers++;
                }
            }
        }
        return cells >= 2 && numbers * 2 < cells;
    }

    /** A row of data: a cell holding a date-time (text, not an epoch number) and another holding a number. */
    private static boolean dataRow(String[] cells, TimestampParser probe) {
        int time = -1;
        for (int i = 0; i < cells.length && time < 0; i++) {
            if (looksLikeTimestamp(cells[i], probe)) {
                time = i;
            }
        }
        if (time < 0) {
            return false;
        }
        for (int i = 0; i < cells.length; i++) {
            if (i != time && !Double.isNaN(number(cells[i], 0))) {
                return true;
            }
        }
        return false;
    }

    /** Epoch numbers are not taken as timestamps by value: only text date-times are. */
    static boolean looksLikeTimestamp(String cell, TimestampParser probe) {
        int digits = 0;
        for (int i = 0; i < cell.length(); i++) {
            digits += Character.isDigit(cell.charAt(i)) ? 1 : 0;
        }
        return digits > 0 && digits < cell.length() && probe.parse(cell) != TimestampParser.INVALID;
    }

    /** A cell as a number: plain, or followed by a unit ({@code 72.00 °F}); NaN when it is none. */
    private static double number(String cell, int shift) {
        byte[] b = cell.getBytes(StandardCharsets.UTF_8);
        double v = NumberParser.parse(b, 0, b.length, shift);
        return v == v ? v : NumberParser.parseLeading(b, 0, b.length, shift);
    }

    private static int timestampColumnByName(ColumnHeading[] headings) {
        for (int i = 0; i < headings.length; i++) {
            if (TIMESTAMP_NAME.matcher(headings[i].key()).matches()) {
                return i;
            }
        }
        return -1;
    }

    private static int timestampColumnByValue(String[] cells, int columns, TimestampParser probe) {
        for (int i = 0; i < Math.min(cells.length, columns); i++) { // a cell past the header's columns names none
            if (looksLikeTimestamp(cells[i], probe)) {
                return i;
            }
        }
        return -1;
    }

    /** Every column but the timestamp and row numbers, named by its heading without unit; names unique. */
    private void signalColumns(ColumnHeading[] headings, int ts) {
        List<Integer> columns = new ArrayList<>();
        Map<String, Integer> stripped = new HashMap<>();
        for (int i = 0; i < headings.length; i++) {
            if (i != ts && !ROW_NUMBER_NAME.matcher(headings[i].key()).matches()) {
                columns.add(i);
                stripped.merge(headings[i].name(), 1, Integer::sum);
            }
        }
        int n = columns.size();
        signals = new String[n];
        sourceColumn = new int[n];
        shift = new int[n];
        descriptions = new SignalDescription[n];
        Set<String> seen = new HashSet<>();
        for (int s = 0; s < n; s++) {
            int c = columns.get(s);
            ColumnHeading h = headings[c];
            // two headings that differ only in their unit ("use [kW]", "use [kWh]") keep their whole text
            String name = stripped.get(h.name()) > 1 ? h.text().trim() : h.name();
            if (name.isEmpty()) {
                name = "col" + (c + 1);
            }
            String unique = name;
            for (int k = 2; !seen.add(unique); k++) {
                unique = name + "_" + k;
            }
            signals[s] = unique;
            sourceColumn[s] = c;
            if (h.unit() != null) {
                shift[s] = h.unit().decimalShift();
            }
        }
        units = new Unit[n];
        for (int s = 0; s < n; s++) {
            units[s] = headings[sourceColumn[s]].unit();
        }
    }

    /**
     * A Niagara history export ({@code Timestamp,Value (°F)}, or with {@code Trend Flags} and
     * {@code Status}): its one value column is the history, named as Niagara names it (escaped,
     * the stable identity; the display name unescaped) after the title line
     * ({@code history:Station/Name}) or else the file name.
     */
    private void niagaraHistory(ColumnHeading[] headings, List<Line> lines, int headerIndex, String fileName) {
        if (!headings[timestampColumn].key().equals("timestamp")) {
            return;
        }
        int value = -1;
        for (int s = 0; s < signals.length; s++) {
            String key = headings[sourceColumn[s]].key();
            if (key.equals("value") && value < 0) {
                value = s;
            } else if (!NIAGARA_TEXT_COLUMNS.contains(key)) {
                return;
            }
        }
        if (value < 0) {
            return;
        }
        booleans = true;
        String history = null;
        for (int i = 0; i < headerIndex; i++) {
            String first = lines.get(i).cells().length == 0 ? "" : lines.get(i).cells()[0];
            if (first.startsWith("history:")) {
                String path = first.substring("history:".length()).replaceFirst("^/", "");
                int slash = path.indexOf('/');
                history = escapePath(slash >= 0 ? path.substring(slash + 1) : path);
            }
        }
        if (history == null && fileName != null && !fileName.isBlank()) {
            String stem = fileName.replaceFirst("(?i)\\.csv$", "");
            history = stem.matches("[A-Za-z$][A-Za-z0-9_$]*") ? stem : escapePath(stem);
        }
        if (history == null || history.isEmpty() || history.length() > MeterCsvParser.MAX_NAME) {
            return;
        }
        Set<String> others = new HashSet<>(Arrays.asList(signals));
        others.remove(signals[value]);
        if (others.contains(history)) {
            return;
        }
        signals[value] = history;
        String display = SlotPath.unescape(history);
        displayNames = new String[signals.length];
        displayNames[value] = display.equals(history) ? null : display;
    }

    private static String escapePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                out.append(out.length() == 0 ? "" : "/").append(SlotPath.escape(part));
            }
        }
        return out.toString();
    }

    /**
     * From the data rows read: the order of the rows, which signals hold numbers, and for energy
     * columns the kind their values show in time order. Only energy columns are read whole; for
     * the others the first number found is enough.
     */
    private void sniff(List<Line> rows, FileContext ctx) {
        TimestampParser probe = new TimestampParser(zone, ctx.formats(), false);
        long[] times = new long[rows.size()];
        long previous = TimestampParser.INVALID;
        int up = 0;
        int down = 0;
        for (int i = 0; i < times.length; i++) {
            Line l = rows.get(i);
            long t = l.blank() || timestampColumn >= l.cells().length
                    ? TimestampParser.INVALID
                    : probe.parse(l.cells()[timestampColumn]);
            times[i] = t;
            if (t != TimestampParser.INVALID) {
                if (previous != TimestampParser.INVALID) {
                    up += t > previous ? 1 : 0;
                    down += t < previous ? 1 : 0;
                }
                previous = t;
            }
        }
        newestFirst = down > up;
        if (newestFirst) { // the same instants, but for the hour a DST change repeats
            TimestampParser timestamps = new TimestampParser(zone, ctx.formats(), true);
            for (int i = 0; i < times.length; i++) {
                if (times[i] != TimestampParser.INVALID) {
                    times[i] = timestamps.parse(rows.get(i).cells()[timestampColumn]);
                }
            }
        }
        Integer[] timeOrder = null;
        for (int s = 0; s < signals.length; s++) {
            Unit unit = units[s];
            SignalKind evidence = null;
            boolean numeric = false;
            if (unit != null && unit.energy()) {
                if (timeOrder == null) {
                    timeOrder = timeOrder(times);
                }
                double[] column = new double[timeOrder.length];
                for (int k = 0; k < column.length; k++) {
                    column[k] = value(rows.get(timeOrder[k]), s);
                    numeric |= column[k] == column[k];
                }
                evidence = EnergyKind.of(column, column.length);
            } else {
                for (int i = 0; i < times.length && !numeric; i++) {
                    double v = times[i] != TimestampParser.INVALID ? value(rows.get(i), s) : Double.NaN;
                    numeric = v == v;
                }
            }
            if (numeric) {
                descriptions[s] = new SignalDescription(
                        unit == null ? null : unit.symbol(), evidence, displayNames == null ? null : displayNames[s]);
            }
        }
    }

    /** The rows with a timestamp, in time order (equal times in file order). */
    private static Integer[] timeOrder(long[] times) {
        int n = 0;
        for (long t : times) {
            n += t != TimestampParser.INVALID ? 1 : 0;
        }
        Integer[] order = new Integer[n];
        n = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] != TimestampParser.INVALID) {
                order[n++] = i;
            }
        }
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        return order;
    }

    /** Signal {@code s}'s value in a row: NaN when the row has no such cell or it holds no number. */
    private double value(Line l, int s) {
        int c = sourceColumn[s];
        return c < l.cells().length ? cellValue(l.cells()[c], s) : Double.NaN;
    }

    /** A cell's value as the parser reads it (unit suffix, On/Off of Niagara exports); NaN when none. */
    double cellValue(String cell, int s) {
        double v = number(cell, shift[s]);
        if (v != v && booleans) {
            switch (cell.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "active" -> v = 1;
                case "off", "false", "inactive" -> v = 0;
                default -> {}
            }
        }
        return v;
    }

    /** Binary content (NUL or other control bytes) in the first line means the file is not CSV. */
    private static void requireText(CsvLineReader reader) throws FileRejectedException {
        byte[] line = reader.line;
        int start = reader.lineStart;
        if (reader.lineLength >= 2
                && (((line[start] & 0xff) == 0xFF && (line[start + 1] & 0xff) == 0xFE)
                        || ((line[start] & 0xff) == 0xFE && (line[start + 1] & 0xff) == 0xFF))) {
            throw new FileRejectedException("UTF-16 text: save the file as UTF-8 (or ASCII)");
        }
        int n = Math.min(reader.lineLength, 4096);
        for (int i = start; i < start + n; i++) {
            int b = line[i] & 0xff;
            if (b < 0x20 && b != '\t') {
                throw new FileRejectedException("not a CSV file (binary content)");
            }
        }
    }
}
