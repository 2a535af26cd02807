package io.meterflow;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine jar ({@code target/meterflow.jar}) run as a real child process in a home folder of
 * its own (with copies of {@code routes/} and {@code config/}), for tests that kill it with
 * SIGKILL and start it again. Its output goes to {@code engine-<n>.log} in the home folder.
 */
public final class EngineProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Path home;
    private final int port;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Process process;
    private int starts;

    /** A home with the project's routes and config; the engine listens on {@code port}, its data under the home. */
    public EngineProcess(Path home, int port) throws IOException {
        this.home = home.toAbsolutePath();
        this.port = port;
        Files.createDirectories(this.home);
        copyTree(Path.of("routes"), this.home.resolve("routes"));
        copyTree(Path.of("config"), this.home.resolve("config"));
        property("camel.server.port", Integer.toString(port));
    }

    /** A {@code -D} setting for every later start. */
    public EngineProcess property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public Path home() {
        return home;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the engine and waits until {@code /health} answers. */
    public EngineProcess start() throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(
                List.of("-jar", Path.of("target/meterflow.jar").toAbsolutePath().toString()));
        starts++;
        process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("engine-" + starts + ".log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .alias("engine answering on " + url() + " (see " + home.resolve("engine-" + starts + ".log") + ")")
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the engine exited with " + process.exitValue() + ": "
                                + Files.readString(home.resolve("engine-" + starts + ".log")));
                    }
                    // every route runs (/health says "starting" until then); the engine may be degraded
                    try {
                        HttpResponse<String> health = get("/health");
                        return health.statusCode() == 200
                                || (health.statusCode() == 503 && !health.body().contains("\"starting\""));
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A normal stop (SIGTERM). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** The process id of the running engine (its name in table engine is {@code pid@host}). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The HTTP status of a GET, 0 when nothing answers. */
    public int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the engine has logged in its latest run. */
    public String lastLog() throws IOException {
        return Files.readString(home.resolve("engine-" + starts + ".log"));
    }

    /** Everything the engine has logged in all its runs. */
    public String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            out.append(Files.readString(home.resolve("engine-" + i + ".log")));
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
