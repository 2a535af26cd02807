package io.meterflow.source.file;

import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Sample;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses one meter CSV file as a stream of rows, in two passes over its bytes: the first lines
 * give the layout ({@link CsvLayout}: header row after any title or preamble, or the meter's
 * configured columns; the timestamp column and its zone; the signal columns, their units and
 * kinds; the row order), then every row is read.
 *
 * <p>Row-level problems are skipped and counted in {@link ParseStats}: blank lines, rows whose
 * timestamp does not parse, non-numeric cells ({@code N/A}) in signal columns. File-level problems
 * throw {@link FileRejectedException} with a one-line reason. Values in a unit the engine stores
 * otherwise are converted (Wh to kWh, W to kW) exactly, as if the decimal point were moved.
 */
public final class MeterCsvParser {

    /** The most signal columns a file may have, and the longest column name (the series table's limit). */
    static final int MAX_COLUMNS = 1000;

    static final int MAX_NAME = 255;

    private MeterCsvParser() {}

    /** The largest read buffer: what a large file is read in. */
    private static final int MAX_BUFFER = 1 << 16;

    /** Parses the whole stream into {@code sink}, counting into {@code stats}. */
    public static void parse(InputStream in, FileContext ctx, RowSink sink, ParseStats stats)
            throws IOException, FileRejectedException {
        parse(in, MAX_BUFFER, ctx, sink, stats);
    }

    /**
     * Parses the whole stream of a file of {@code size} bytes (its buffers no larger than it
     * needs: most meter files are a few kilobytes) into {@code sink}, counting into {@code stats}.
     */
    public static void parse(InputStream in, long size, FileContext ctx, RowSink sink, ParseStats stats)
            throws IOException, FileRejectedException {
        int bufferSize = (int) Math.max(1024, Math.min(MAX_BUFFER, size + 1));
        BufferedInputStream buffered = new BufferedInputStream(in, bufferSize);
        buffered.mark(CsvLineReader.MAX_LINE + CsvLayout.SNIFF_BYTES + (1 << 18));
        CsvLayout layout = CsvLayout.detect(new CsvLineReader(buffered, bufferSize), ctx);
        buffered.reset();
        buffered.mark(0); // once the head is read again, the buffer need not keep what was read
        CsvLineReader reader = new CsvLineReader(buffered, bufferSize);
        stats.blankLines += layout.blankLinesBefore;
        boolean haveRow;
        do {
            haveRow = reader.next();
        } while (haveRow && reader.lineNumber() < layout.firstDataLine);
        TimestampParser timestamps = new TimestampParser(layout.zone, ctx.formats(), layout.newestFirst);
        sink.columns(layout.signals);
        sink.describe(layout.descriptions);
        readRows(reader, haveRow, layout, timestamps, sink, stats);
    }

    /** Every row from the reader's current line on. */
    private static void readRows(
            CsvLineReader reader,
            boolean haveRow,
            CsvLayout layout,
            TimestampParser timestamps,
            RowSink sink,
            ParseStats stats)
            throws IOException, FileRejectedException {
        String[] signals = layout.signals;
        int[] sourceColumn = layout.sourceColumn;
        int[] shift = layout.shift;
        int tsColumn = layout.timestampColumn;
        double[] values = new double[signals.length];
        long[] badCells = new long[signals.length];
        boolean[] numeric = new boolean[signals.length];
        int[] decimals = new int[signals.length]; // fraction digits of each column in the row before
        Arrays.fill(decimals, -1);
        while (haveRow) {
            if (reader.isBlank()) {
                stats.blankLines++;
                haveRow = reader.next();
                continue;
            }
            if (!reader.terminated() && cutShort(reader, layout.columnCount, sourceColumn, decimals)) {
                stats.truncatedRows++; // the file was cut while written: a cut number is not a reading
                haveRow = reader.next();
                continue;
            }
            if (tsColumn >= reader.fieldCount) {
                stats.badTimestampRows++;
                haveRow = reader.next();
                continue;
            }
            long ts = timestamps.parse(reader.line, reader.fieldStart[tsColumn], reader.fieldLength[tsColumn]);
            if (ts == TimestampParser.INVALID) {
                stats.badTimestampRows++;
                haveRow = reader.next();
                continue;
            }
            for (int s = 0; s < signals.length; s++) {
                int c = sourceColumn[s];
                if (c >= reader.fieldCount || reader.fieldLength[c] == 0) {
                    values[s] = Double.NaN;
                    continue;
                }
                double v = NumberParser.parse(reader.line, reader.fieldStart[c], reader.fieldLength[c], shift[s]);
                if (v != v) {
                    v = notPlain(reader, c, s, layout);
                }
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
            haveRow = reader.next();
        }
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

    /** A cell that is no plain number: one followed by its unit ({@code 72.00 °F}), On/Off of Niagara exports; else NaN. */
    private static double notPlain(CsvLineReader reader, int c, int s, CsvLayout layout) {
        double v = NumberParser.parseLeading(reader.line, reader.fieldStart[c], reader.fieldLength[c], layout.shift[s]);
        return v == v || !layout.booleans ? v : layout.cellValue(reader.field(c), s);
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

    private static boolean isBlankField(CsvLineReader reader, int c) {
        for (int i = reader.fieldStart[c], end = i + reader.fieldLength[c]; i < end; i++) {
            if (reader.line[i] != ' ') {
                return false;
            }
        }
        return true;
    }
}
