package io.meterflow.app;

import io.meterflow.export.schedule.ExportsFile;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.MetersFile;
import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import io.meterflow.source.eniscope.EniscopeFile;
import io.meterflow.source.niagara.http.NiagaraHttpFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks what the engine reads at start, without starting anything: the routes folder, every
 * setting (a typo of a key included), and each configuration file. Each problem is one line
 * naming the file or key; {@code check-config} prints them, {@code run} stops at the first.
 */
final class ConfigCheck {

    /** What was checked: lines for what is fine, lines for problems, and the settings when they are valid. */
    record Result(List<String> fine, List<String> problems, EngineSettings settings) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private ConfigCheck() {}

    static Result run(Path home) {
        List<String> fine = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Path routes = home.resolve("routes");
        if (!routesIn(routes)) {
            problems.add("routes folder not found: " + routes + " (start Meterflow from its folder, or set --home or"
                    + " METERFLOW_HOME to the folder holding routes/ and config/)");
        } else {
            fine.add("routes: " + routes);
        }
        Path file = Home.propertiesFile(home);
        TreeSet<String> keys = new TreeSet<>(System.getProperties().stringPropertyNames());
        try {
            keys.addAll(fileKeys(file));
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        List<String> unknown = Setting.unknown(keys);
        problems.addAll(unknown);
        EngineSettings parsed = null;
        try {
            parsed = EngineSettings.from(PropertyFile.lookup(file));
            if (unknown.isEmpty()) {
                fine.add("settings: " + (Files.exists(file) ? file : "defaults (no " + file + ")"));
            }
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        if (parsed == null) {
            return new Result(fine, problems, null);
        }
        EngineSettings settings = parsed;
        MeterRegistry meters = null;
        try {
            EngineSettings.Meters m = settings.meters();
            MetersFile.Contents contents = MetersFile.read(m.file(), m.defaultZone());
            meters = new MeterRegistry(contents.meters(), m.defaultZone(), new SignalKindRules(contents.kindRules()));
            fine.add(m.file() + ": " + contents.meters().size() + " meters");
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        MeterRegistry registry = meters;
        if (registry != null) {
            check(
                    fine,
                    problems,
                    settings.schedule().exportsFile(),
                    () -> ExportsFile.read(settings.schedule().exportsFile(), registry)
                                    .size()
                            + " scheduled exports");
        }
        check(
                fine,
                problems,
                settings.eniscope().file(),
                () -> EniscopeFile.read(
                                        settings.eniscope().file(),
                                        settings.eniscope().cron())
                                .size()
                        + " Eniscope accounts" + (settings.eniscope().enabled() ? "" : " (polling off)"));
        check(
                fine,
                problems,
                settings.niagaraHttp().file(),
                () -> NiagaraHttpFile.read(
                                        settings.niagaraHttp().file(),
                                        settings.niagaraHttp().cron())
                                .size()
                        + " Niagara stations" + (settings.niagaraHttp().enabled() ? "" : " (polling off)"));
        return new Result(fine, problems, problems.isEmpty() ? settings : null);
    }

    private interface Read {
        String summary();
    }

    private static void check(List<String> fine, List<String> problems, Path file, Read read) {
        try {
            fine.add(file + ": " + read.summary());
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        } catch (RuntimeException e) {
            problems.add(file + ": " + e.getMessage());
        }
    }

    private static boolean routesIn(Path routes) {
        if (!Files.isDirectory(routes)) {
            return false;
        }
        try (Stream<Path> files = Files.list(routes)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".camel.yaml"));
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> fileKeys(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return new ArrayList<>(p.stringPropertyNames());
    }
}
