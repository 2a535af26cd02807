package io.meterflow.settings;

/** A configuration problem found at start; the message names the key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
