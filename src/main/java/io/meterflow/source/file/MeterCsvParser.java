package io.meterflow.source.file;

import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.TimestampParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
        String[] header = new String[reader.fieldCount];
        for (int i = 0; i < header.length; i++) {
            header[i] = reader.field(i);
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
        do {
            if (reader.isBlank()) {
                stats.blankLines++;
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
                values[s] = v;
                if (v != v) {
                    if (!isBlankField(reader, c)) {
                        badCells[s]++;
                    }
                } else {
                    numeric[s] = true;
                }
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

    /** Binary content (NUL or other control bytes) in the first line means the file is not CSV. */
    private static void requireText(CsvLineReader reader) throws FileRejectedException {
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
