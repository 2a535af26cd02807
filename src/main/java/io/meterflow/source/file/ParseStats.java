package io.meterflow.source.file;

/** What parsing one file found: rows read, and the row-level problems skipped and counted. */
public final class ParseStats {
    public long rows;
    public long blankLines;
    public long badTimestampRows;
    public long skippedCells;
    public long duplicateRows;
    /** A last line without its line end that is shorter than the rows before it (a file cut while written). */
    public long truncatedRows;

    public long bytes;

    @Override
    public String toString() {
        return "rows=" + rows + " skipped_cells=" + skippedCells + " blank_lines=" + blankLines + " bad_timestamp_rows="
                + badTimestampRows + " duplicate_rows=" + duplicateRows
                + (truncatedRows > 0 ? " truncated_rows=" + truncatedRows : "");
    }
}
