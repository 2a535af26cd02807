package io.meterflow.app;

import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import io.meterflow.store.Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code meterflow run} (the default command): checks everything the engine needs before it
 * starts (routes, settings, every config file, the port, the data folder, the database), each
 * problem one line with its fix, then runs the engine (Camel Main with the YAML routes of the home
 * folder) until it is stopped.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Runs the engine: the inbox, the live sources, scheduled exports and the HTTP API,"
                + " until stopped (Ctrl-C, SIGTERM).",
        footer = {"", "Exit codes: 0 stopped normally, 1 could not start (one line says why), 2 bad command line."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions launch;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (camel.server.port; default 8080)")
    Integer port;

    @Override
    public Integer call() {
        try {
            return run();
        } catch (Exception | LinkageError e) {
            return StartupFailure.report("run", e, System.err);
        }
    }

    private int run() throws Exception {
        if (port != null) {
            System.setProperty("camel.server.port", Integer.toString(port));
        }
        Path home = Home.resolve();
        Logs.configure(home);
        ConfigCheck.Result check = ConfigCheck.run(home);
        if (!check.ok()) {
            throw new StartupFailure(StartupFailure.firstLine(check.problems().get(0)) + " - fix it, then start again"
                    + (check.problems().size() > 1
                            ? " (and " + (check.problems().size() - 1) + " more: meterflow check-config lists them)"
                            : ""));
        }
        EngineSettings settings = check.settings();
        Function<String, String> lookup = PropertyFile.lookup(Home.propertiesFile(home));
        int httpPort = httpPort(lookup);
        String host = settings.api().listenAddress();
        portFree(host, httpPort);
        databaseReachable(settings.database());
        inboxReady(settings.ingest().inbox());

        Main main = new Main();
        main.configure().addConfiguration(CamelWiring.class);
        main.setDefaultPropertyPlaceholderLocation(
                "file:" + Home.propertiesFile(home) + ";optional=true,classpath:application.properties;optional=true");
        main.addOverrideProperty("camel.server.host", host);
        if (lookup.apply("camel.main.routes-include-pattern") == null) {
            main.addOverrideProperty(
                    "camel.main.routes-include-pattern", "file:" + home.resolve("routes") + "/*.camel.yaml");
        }
        main.run();
        return main.getExitCode();
    }

    private static int httpPort(Function<String, String> lookup) {
        String v = lookup.apply("camel.server.port");
        if (v == null) {
            return 8080;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new StartupFailure("camel.server.port: expected a port from 1 to 65535, got '" + v + "'");
        }
    }

    /** The HTTP port must be free: otherwise the engine would start without its API. */
    private static void portFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupFailure("port " + port + " on " + host + " is in use (another engine running?): stop"
                    + " it, or start this one on another port with --port N or -Dcamel.server.port=N");
        }
    }

    /**
     * The inbox exists before the engine answers: a user (or script) that waits for {@code /health}
     * and then moves a meter's folder into {@code inbox/} finds it there.
     */
    private static void inboxReady(Path inbox) {
        try {
            Files.createDirectories(inbox);
        } catch (IOException e) {
            throw new StartupFailure("cannot create the inbox " + inbox.toAbsolutePath() + " (" + e.getMessage()
                    + "): make its parent writable, or set " + Setting.INBOX.key() + " elsewhere");
        }
    }

    /** The database opens (and an embedded one's folder is writable) before anything else starts. */
    private static void databaseReachable(EngineSettings.Database db) {
        Path file = Database.embeddedPath(db.url());
        if (file != null) {
            Path folder = file.toAbsolutePath().getParent();
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new StartupFailure("cannot create the database folder " + folder + " (" + e.getMessage()
                        + "): make it writable, or set " + Setting.DB_URL.key() + " elsewhere");
            }
            if (!Files.isWritable(folder)) {
                throw new StartupFailure("the database folder " + folder + " is not writable: make it writable for"
                        + " this user, or set " + Setting.DB_URL.key() + " elsewhere");
            }
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", db.user());
        credentials.setProperty("password", db.password());
        if (db.url().startsWith("jdbc:postgresql:")) {
            credentials.setProperty("connectTimeout", "5");
            credentials.setProperty("loginTimeout", "5");
        }
        try (Connection c = DriverManager.getConnection(db.url(), credentials)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new StartupFailure(StartupFailure.line(e), e);
        }
    }
}
