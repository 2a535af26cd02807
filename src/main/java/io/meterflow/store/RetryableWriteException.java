package io.meterflow.store;

/** A write that lost a race with another writer; the whole transaction can be tried again. */
public class RetryableWriteException extends RuntimeException {
    public RetryableWriteException(String message) {
        super(message);
    }

    public RetryableWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
