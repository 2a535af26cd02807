package io.meterflow.app;

import io.meterflow.settings.Setting;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command takes: {@code -Dkey=value} settings and {@code --home}. */
final class LaunchOptions {

    @Option(
            names = "-D",
            paramLabel = "key=value",
            description = "a setting, as in config/application.properties (e.g. -Dmeterflow.db.url=...)")
    void setting(Map<String, String> settings) {
        settings.forEach(System::setProperty);
    }

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "the folder holding routes/ and config/ (default: the working directory, else the"
                    + " installation folder; or METERFLOW_HOME)")
    void home(String home) {
        System.setProperty(Setting.HOME.key(), home);
    }
}
