package io.meterflow.app;

import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Chooses the log format and level before anything logs: {@code meterflow.log.format} (text or
 * json) and {@code meterflow.debug} become the system properties {@code log4j2.properties} reads.
 * A bad value is left to the settings check, which names the key.
 */
final class Logs {

    /** The system property log4j2.properties reads for the level of the engine's own loggers. */
    static final String LEVEL_PROPERTY = "logLevel.meterflow";

    private Logs() {}

    static void configure(Path home) {
        Function<String, String> lookup = PropertyFile.lookup(Home.propertiesFile(home));
        String format = lookup.apply(Setting.LOG_FORMAT.key());
        if (format != null && Setting.LOG_FORMAT.choices().contains(format.trim())) {
            System.setProperty(Setting.LOG_FORMAT.key(), format.trim());
        }
        String debug = lookup.apply(Setting.DEBUG.key());
        if (debug != null && debug.trim().equalsIgnoreCase("true")) {
            System.setProperty(Setting.DEBUG.key(), "true");
            System.setProperty(LEVEL_PROPERTY, "DEBUG");
        }
    }
}
