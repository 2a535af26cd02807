package io.meterflow.source.file;

/** The outcome of one file: ingested (with its counts) or rejected (with the one-line reason). */
public record IngestReport(
        String meterId,
        String path,
        boolean ingested,
        String reason,
        ParseStats stats,
        long samplesWritten,
        long millis) {

    @Override
    public String toString() {
        return ingested
                ? "file ingested meter=" + meterId + " file=" + path + " " + stats + " samples=" + samplesWritten
                        + " ms=" + millis
                : "file rejected meter=" + meterId + " file=" + path + " reason=" + reason;
    }
}
