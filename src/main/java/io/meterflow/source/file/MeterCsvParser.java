package io.meterflow.source.file;

import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one meter CSV file as a stream of rows.
 *
 * <p>The first non-blank line is the header. The timestamp column is the one named
 * {@code timestamp}, {@code time}, {@code date}, {@code datetime} or {@code ts} (any case), or else the
 * first column whose first value parses as a date-time. Every other column is a candidate signal;
 * it becomes a signal when at least one of its cells is a number.
 *
 * <p>Row-level problems are skipped and counted in {@link ParseStats}: blank lines, rows whose
 * timestamp does not parse, non-numeric cells ({@code N/A}) in signal columns. File-level problems
 * throw {@link FileRejectedException} with a one-line reason.
 */
public final class MeterCsvParser {

    private static final Pattern TIMESTAMP_NAME =
            Pattern.compile("timestamp|time|date|datetime|ts|date_time|date time");
    private static final int SNIFF_BYTES = 4096;

    /** The most signal columns a file may have, and the longest column name (the series table's limit). */
    static final int MAX_COLUMNS = 1000;

    static final int MAX_NAME = 255;

    private MeterCsvParser() {}

    /** Parses the whole stream into {@code sink}, counting into {@code stats}. */
    public static void parse(InputStream in, TimestampParser timestamps, RowSink sink, ParseStats stats)
            throws IOException, FileRejectedException {
        CsvLineReader reader = new CsvLineReader(in);
        if (!reader.next()) {
            throw new FileRejectedException("file is empty");
        }
        while (reader.isBlank()) {
            stats.blankLines++;
            if (!reader.next()) {
                throw new FileRejectedException("file is empty (only blank lines)");
            }
        }
        requireText(reader);
        if (reader.fieldCount > MAX_COLUMNS + 1) {
            throw new FileRejectedException(
                    reader.fieldCount + " columns; a file may hold at most " + MAX_COLUMNS + " signals");
        }
        String[] header = new String[reader.fieldCount];
        for (int i = 0; i < header.length; i++) {
            header[i] = reader.field(i);
            if (header[i].length() > MAX_NAME) {
                throw new FileRejectedException("column " + (i + 1) + " has a name longer than " + MAX_NAME
                        + " characters: " + header[i].substring(0, 40) + "...");
            }
        }
        if (headerLooksLikeData(header, timestamps)) {
            throw new FileRejectedException("no header row: the first line holds data, not column names");
        }
        int tsColumn = timestampColumnByName(header);
        boolean haveRow = reader.next();
        while (haveRow && reader.isBlank()) {
            stats.blankLines++;
            haveRow = reader.next();
        }
        if (tsColumn < 0) {
            if (!haveRow) {
                throw new FileRejectedException(
                        "no timestamp column (no column named timestamp, time, date, datetime or ts)");
            }
            tsColumn = timestampColumnByValue(reader, timestamps);
            if (tsColumn < 0) {
                throw new FileRejectedException(
                        "no timestamp column (no column named timestamp, time, date, datetime or ts, "
                                + "and no column holds date-times)");
            }
        }
        if (!haveRow) {
            throw new FileRejectedException("no data rows after the header");
        }
        String[] signals = signalNames(header, tsColumn);
        int[] sourceColumn = new int[signals.length];
        for (int i = 0, s = 0; i < header.length; i++) {
            if (i != tsColumn) {
                sourceColumn[s++] = i;
            }
        }
        sink.columns(signals);
        double[] values = new double[signals.length];
        long[] badCells = new long[signals.length];
        boolean[] numeric = new boolean[signals.length];
        int[] decimals = new int[signals.length]; // fraction digits of each column in the row before
        Arrays.fill(decimals, -1);
        do {
            if (reader.isBlank()) {
                stats.blankLines++;
                continue;
            }
            if (!reader.terminated() && cutShort(reader, header.length, sourceColumn, decimals)) {
                stats.truncatedRows++; // the file was cut while written: a cut number is not a reading
                continue;
            }
            if (tsColumn >= reader.fieldCount) {
                stats.badTimestampRows++;
                continue;
            }
            long ts = timestamps.parse(reader.line, reader.fieldStart[tsColumn], reader.fieldLength[tsColumn]);
            if (ts == TimestampParser.INVALID) {
                stats.badTimestampRows++;
                continue;
            }
            for (int s = 0; s < signals.length; s++) {
                int c = sourceColumn[s];
                if (c >= reader.fieldCount || reader.fieldLength[c] == 0) {
                    values[s] = Double.NaN;
                    continue;
                }
                double v = NumberParser.parse(reader.line, reader.fieldStart[c], reader.fieldLength[c]);
                if (v != v) {
                    if (!isBlankField(reader, c)) {
                        badCells[s]++;
                    }
                } else if (!Sample.usable(v)) {
                    v = Double.NaN; // 1e308 and the like: skipped and counted like a cell that is no number
                    badCells[s]++;
                    numeric[s] = true;
                } else {
                    numeric[s] = true;
                    decimals[s] = fractionDigits(reader, c);
                }
                values[s] = v;
            }
            stats.rows++;
            sink.row(ts, values);
        } while (reader.next());
        for (int s = 0; s < signals.length; s++) {
            if (numeric[s]) {
                stats.skippedCells += badCells[s];
            }
        }
        stats.bytes = reader.bytesRead();
        if (stats.rows == 0) {
            throw new FileRejectedException("no row has a valid timestamp (" + stats.badTimestampRows + " rows tried)");
        }
        boolean anyNumeric = false;
        for (boolean n : numeric) {
            anyNumeric |= n;
        }
        if (!anyNumeric) {
            throw new FileRejectedException("no numeric values: no column besides the timestamp holds numbers");
        }
    }

    /**
     * Whether a last line without its line end was cut while the file was written: fewer cells
     * than the header, or a number with fewer fraction digits than its column had in the row
     * before ({@code 603813.120} then {@code 6038}).
     */
    private static boolean cutShort(CsvLineReader reader, int columns, int[] sourceColumn, int[] decimals) {
        if (reader.fieldCount < columns) {
            return true;
        }
        for (int s = 0; s < sourceColumn.length; s++) {
            if (decimals[s] >= 0
                    && reader.fieldLength[sourceColumn[s]] > 0
                    && fractionDigits(reader, sourceColumn[s]) != decimals[s]) {
                return true;
            }
        }
        return false;
    }

    /** Digits after the decimal point of a cell; 0 without one. */
    private static int fractionDigits(CsvLineReader reader, int c) {
        int start = reader.fieldStart[c];
        int end = start + reader.fieldLength[c];
        while (end > start && reader.line[end - 1] == ' ') {
            end--;
        }
        for (int i = start; i < end; i++) {
            if (reader.line[i] == '.') {
                return end - i - 1;
            }
        }
        return 0;
    }

    /** Binary content (NUL or other control bytes) in the first line means the file is not CSV. */
    private static void requireText(CsvLineReader reader) throws FileRejectedException {
        if (reader.lineLength >= 2
                && (((reader.line[0] & 0xff) == 0xFF && (reader.line[1] & 0xff) == 0xFE)
                        || ((reader.line[0] & 0xff) == 0xFE && (reader.line[1] & 0xff) == 0xFF))) {
            throw new FileRejectedException("UTF-16 text: save the file as UTF-8 (or ASCII)");
        }
        int n = Math.min(reader.lineLength, SNIFF_BYTES);
        for (int i = 0; i < n; i++) {
            int b = reader.line[i] & 0xff;
            if (b < 0x20 && b != '\t') {
                throw new FileRejectedException("not a CSV file (binary content)");
            }
        }
        if (reader.fieldCount < 2) {
            throw new FileRejectedException("not a CSV file (the first line has no comma-separated columns)");
        }
    }

    private static int timestampColumnByName(String[] header) {
        for (int i = 0; i < header.length; i++) {
            if (TIMESTAMP_NAME.matcher(header[i].toLowerCase(Locale.ROOT)).matches()) {
                return i;
            }
        }
        return -1;
    }

    private static int timestampColumnByValue(CsvLineReader reader, TimestampParser timestamps) {
        for (int i = 0; i < reader.fieldCount; i++) {
            if (looksLikeTimestamp(reader.field(i), timestamps)) {
                return i;
            }
        }
        return -1;
    }

    /** Epoch numbers are not taken as timestamps by value: only text date-times are. */
    private static boolean looksLikeTimestamp(String cell, TimestampParser timestamps) {
        return !cell.isEmpty()
                && !cell.chars().allMatch(Character::isDigit)
                && timestamps.parse(cell) != TimestampParser.INVALID;
    }

    private static boolean headerLooksLikeData(String[] header, TimestampParser timestamps) {
        for (String h : header) {
            if (looksLikeTimestamp(h, timestamps)) {
                return true;
            }
        }
        return false;
    }

    private static String[] signalNames(String[] header, int tsColumn) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.length; i++) {
            if (i == tsColumn) {
                continue;
            }
            String name = header[i].isEmpty() ? "col" + (i + 1) : header[i];
            String unique = name;
            for (int k = 2; !seen.add(unique); k++) {
                unique = name + "_" + k;
            }
            names.add(unique);
        }
        return names.toArray(new String[0]);
    }

    private static boolean isBlankField(CsvLineReader reader, int c) {
        for (int i = reader.fieldStart[c], end = i + reader.fieldLength[c]; i < end; i++) {
            if (reader.line[i] != ' ') {
                return false;
            }
        }
        return true;
    }
}
