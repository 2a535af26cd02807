package io.meterflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.export.schedule.ExportRunTable;
import io.meterflow.export.schedule.ScheduledExport;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code backfill NAME --from DATE --to DATE}: runs a scheduled export for every window from the
 * one holding the first day to the one holding the last, each published like a scheduled run,
 * with a progress bar on a terminal. Through the running engine's API (the default when one
 * answers on this machine, or {@code --url}), or directly on the database when no engine runs.
 */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = "Runs a scheduled export of config/exports.yaml for every window of a date range.",
        footer = {
            "",
            "Through the engine at --url (default: the local engine when it answers), else directly (the engine must",
            "not be running on the embedded H2 database). The API key comes from METERFLOW_API_KEYS (the first key).",
            "Exit codes: 0 every window completed, 1 a window failed or was only partly delivered, 2 bad command line."
        })
final class BackfillCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    LaunchOptions launch;

    @Parameters(index = "0", paramLabel = "NAME", description = "the export definition (config/exports.yaml)")
    String name;

    @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "first day")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd", description = "last day (inclusive)")
    LocalDate to;

    @Option(names = "--url", paramLabel = "URL", description = "the engine's API, e.g. http://127.0.0.1:8080")
    String url;

    @Option(names = "--direct", description = "run on the database, without an engine (stop it first on H2)")
    boolean direct;

    @Spec
    CommandSpec spec;

    /** One window's run: its status and the first day after it. */
    private record Window(String status, LocalDate nextDay, String file) {}

    @Override
    public Integer call() {
        if (to.isBefore(from)) {
            throw new ParameterException(spec.commandLine(), "--to must not be before --from");
        }
        if (direct && url != null) {
            throw new ParameterException(spec.commandLine(), "give --url or --direct, not both");
        }
        try {
            Path home = Home.resolve();
            Logs.configure(home);
            Function<String, String> lookup = PropertyFile.lookup(Home.propertiesFile(home));
            String key = firstKey(lookup.apply(Setting.API_KEYS.key()));
            String base = url;
            if (base == null && !direct) {
                String local = "http://127.0.0.1:"
                        + (lookup.apply("camel.server.port") == null
                                ? "8080"
                                : lookup.apply("camel.server.port").trim());
                base = answers(local, key) ? local : null;
            }
            if (base != null) {
                String api = base.replaceAll("/+$", "");
                System.out.println("backfill " + name + " through " + api);
                return backfill(day -> throughApi(api, key, day));
            }
            System.out.println("backfill " + name + " directly on the database");
            try (Engine engine = Engine.start(EngineSettings.from(lookup))) {
                ScheduledExport d = engine.scheduledExports()
                        .find(name)
                        .orElseThrow(() -> new StartupFailure("no export definition named '" + name + "' in "
                                + engine.settings().schedule().exportsFile()));
                return backfill(day -> {
                    List<ExportRunTable.Run> runs = engine.scheduledExports().runNow(name, day.toString(), null, null);
                    ExportRunTable.Run r = runs.get(0);
                    return new Window(
                            r.status().key(),
                            r.windowEnd().atZone(d.zone()).toLocalDate(),
                            r.output() == null ? null : r.output().fileName());
                });
            }
        } catch (Exception e) {
            return StartupFailure.report("backfill", e, System.err);
        }
    }

    private interface Runner {
        Window run(LocalDate day) throws Exception;
    }

    private int backfill(Runner runner) throws Exception {
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        AtomicLong windows = new AtomicLong();
        Progress progress = new Progress(
                "backfill", "days", days, "windows", windows::get, Progress.stdoutIsTerminal(), System.out);
        int failed = 0;
        LocalDate day = from;
        while (!day.isAfter(to)) {
            Window w = runner.run(day);
            windows.incrementAndGet();
            if (!w.status().equals("completed")) {
                failed++;
                System.err.println("backfill " + name + " window of " + day + ": " + w.status());
            }
            LocalDate next = w.nextDay().isAfter(day) ? w.nextDay() : day.plusDays(1);
            for (LocalDate d = day; d.isBefore(next) && !d.isAfter(to); d = d.plusDays(1)) {
                progress.advance();
            }
            progress.tick();
            day = next;
        }
        progress.finish();
        System.out.println("backfill finished definition=" + name + " windows=" + windows.get() + " failed=" + failed);
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the engine offers h2c upgrades, on which the JDK client can hang
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private Window throughApi(String api, String key, LocalDate day) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/api/exports/" + name + "/run?date=" + day))
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("X-API-Key", key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            JsonNode error = body.path("error");
            throw new StartupFailure(api + " answered " + r.statusCode() + " "
                    + error.path("code").asText() + ": " + error.path("message").asText());
        }
        JsonNode run = body.path("runs").get(0);
        return new Window(
                run.path("status").asText(),
                OffsetDateTime.parse(run.path("window").path("end").asText()).toLocalDate(),
                run.path("file").asText(null));
    }

    private static boolean answers(String api, String key) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(api + "/health")).timeout(Duration.ofSeconds(3));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String firstKey(String keys) {
        if (keys == null) {
            return null;
        }
        for (String k : keys.split(",")) {
            if (!k.isBlank()) {
                return k.trim();
            }
        }
        return null;
    }
}
