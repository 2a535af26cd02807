package io.meterflow.metrics;

/**
 * What the engine's parts report as they work, for monitoring: one call per file, frame, poll,
 * job or run, never per row. The parts know only this interface (package {@code metrics} depends
 * on nothing); the composition root implements it with Micrometer, and the command-line tools use
 * {@link #NONE}. Labels are few and fixed (a source, a result, a status), so the number of time
 * series stays small whatever the data. Each event is ignored unless an implementation counts it.
 */
public interface Metrics {

    /** A file was ingested: the rows read, the samples stored and how long it took. */
    default void fileIngested(long rows, long samples, long nanos) {}

    /** A file was rejected (moved to {@code .error}). */
    default void fileRejected(long nanos) {}

    /** A write transaction committed {@code rows} rows holding {@code samples} samples (every source). */
    default void stored(long rows, long samples) {}

    /**
     * The engine's writer committed one transaction holding {@code writes} writes (a file, a frame,
     * a poll window each), {@code nanos} after it began it.
     */
    default void committed(int writes, long nanos) {}

    /**
     * A poll of a live source ended. {@code source}: {@code eniscope} or {@code niagara-http};
     * {@code result}: {@code ok}, {@code partial} (some channels or histories failed) or {@code failed}.
     */
    default void polled(String source, String result, long nanos) {}

    /** An export job ended: {@code completed} or {@code failed}. */
    default void exportJob(String status, long nanos) {}

    /** A scheduled export run ended: {@code completed}, {@code partial} or {@code failed}. */
    default void scheduledRun(String status, long nanos) {}

    /** A delivery of a scheduled export: {@code folder} or {@code http}, {@code delivered} or {@code failed}. */
    default void delivery(String destination, String result) {}

    /** Reports nothing. */
    Metrics NONE = new Metrics() {};
}
