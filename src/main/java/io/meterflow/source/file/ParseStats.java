package io.meterflow.source.file;

/** What parsing one file found: rows read, and the row-level problems skipped and counted. */
public final class ParseStats {
    public long rows;
    public long blankLines;
    public long badTimestampRows;
    public long skippedCells;
    public long duplicateRows;
    public long bytes;

    @Override
    public String toString() {
        return "rows=" + rows + " skipped_cells=" + skippedCells + " blank_lines=" + blankLines + " bad_timestamp_rows="
                + badTimestampRows + " duplicate_rows=" + duplicateRows;
    }
}
