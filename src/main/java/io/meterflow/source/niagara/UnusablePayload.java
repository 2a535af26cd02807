package io.meterflow.source.niagara;

/**
 * A payload from a station (an MQTT frame, an oBIX answer, a history CSV) that cannot be used;
 * the message says why.
 */
public final class UnusablePayload extends Exception {
    public UnusablePayload(String reason) {
        super(reason);
    }
}
