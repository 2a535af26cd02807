package io.meterflow.app;

import io.meterflow.settings.Setting;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The home folder: where {@code routes/}, {@code config/} and, for relative settings, the inbox,
 * outbox and {@code data/} are. {@code --home} or {@code meterflow.home} ({@code -D} or
 * {@code METERFLOW_HOME}) when given; else the working directory when it holds {@code routes/};
 * else the folder the jar was built or installed in (the parent of its {@code target/} or
 * {@code lib/} folder) when that one does; else the working directory. It is put back as the
 * system property {@code meterflow.home}, absolute, so every setting and command reads the same.
 */
final class Home {

    private Home() {}

    static Path resolve() {
        String given = System.getProperty(Setting.HOME.key());
        if (given == null || given.isBlank()) {
            given = System.getenv(Setting.HOME.environmentVariable());
        }
        Path home;
        if (given != null && !given.isBlank()) {
            home = Path.of(given);
        } else if (Files.isDirectory(Path.of("routes"))) {
            home = Path.of("");
        } else {
            Path installed = installation();
            home = installed != null && Files.isDirectory(installed.resolve("routes")) ? installed : Path.of("");
        }
        Path absolute = home.toAbsolutePath().normalize();
        System.setProperty(Setting.HOME.key(), absolute.toString());
        return absolute;
    }

    /** The folder of the jar (or classes) this runs from, less a {@code target} or {@code lib} level. */
    private static Path installation() {
        try {
            Path code = Path.of(Home.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            while (dir != null) {
                String name = dir.getFileName() == null
                        ? ""
                        : dir.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!name.equals("target") && !name.equals("lib") && !name.equals("classes")) {
                    return dir;
                }
                dir = dir.getParent();
            }
            return null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** {@code config/application.properties} of the home folder. */
    static Path propertiesFile(Path home) {
        return home.resolve("config/application.properties");
    }
}
