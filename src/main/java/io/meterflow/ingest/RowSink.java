package io.meterflow.ingest;

/** Receives the rows of a parsed file, in file order. */
public interface RowSink {

    /** Called once, after the header, with the candidate signal columns. */
    void columns(String[] signals);

    /**
     * What the source knows of the signals, called once after {@link #columns} and before the
     * first row ({@code descriptions[i]} belongs to {@code signals[i]}; null where it knows
     * nothing). Ignored unless the sink records it.
     */
    default void describe(SignalDescription[] descriptions) {}

    /**
     * One row. {@code values[i]} belongs to {@code signals[i]}; NaN where the cell is empty or not
     * a number. The array is reused for the next row.
     */
    void row(long epochMillis, double[] values);
}
