package io.meterflow.source.file;

/** A file that cannot be ingested at all; the message is the one-line reason users see. */
public class FileRejectedException extends Exception {
    public FileRejectedException(String reason) {
        super(reason);
    }
}
