package io.meterflow.ingest;

/** Receives the rows of a parsed file, in file order. */
public interface RowSink {

    /** Called once, after the header, with the candidate signal columns. */
    void columns(String[] signals);

    /**
     * One row. {@code values[i]} belongs to {@code signals[i]}; NaN where the cell is empty or not
     * a number. The array is reused for the next row.
     */
    void row(long epochMillis, double[] values);
}
