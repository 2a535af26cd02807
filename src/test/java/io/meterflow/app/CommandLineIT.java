package io.meterflow.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line as a user runs it: {@code bin/meterflow} and {@code java -jar target/meterflow.jar}
 * as real processes, their output and exit codes; every start-up failure as a real engine process
 * that exits 1 with one line naming the problem and the fix.
 */
class CommandLineIT {

    static final Path ROOT = Path.of("target/it-cli").toAbsolutePath();
    static final List<String> COMMANDS =
            List.of("run", "import", "generate", "simulate-niagara", "reingest", "backfill", "check-config");

    /** What a process printed and how it ended. */
    record Ran(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    static void clean() throws IOException {
        TestFiles.deleteTree(ROOT);
        Files.createDirectories(ROOT);
    }

    /** Runs {@code command} in {@code dir}, waits at most two minutes. */
    static Ran run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile(ROOT, "out", ".txt");
        Path err = Files.createTempFile(ROOT, "err", ".txt");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 2 minutes: " + command);
        }
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static List<String> jar(String... args) {
        List<String> c = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/meterflow.jar").toAbsolutePath().toString()));
        c.addAll(List.of(args));
        return c;
    }

    static List<String> launcher(String... args) {
        List<String> c = new ArrayList<>(
                List.of(Path.of("bin/meterflow").toAbsolutePath().toString()));
        c.addAll(List.of(args));
        return c;
    }

    /** A home folder with the project's routes and config (as EngineProcess makes it). */
    static Path home(String name) throws Exception {
        try (EngineProcess e = new EngineProcess(ROOT.resolve(name), 18410)) {
            return e.home();
        }
    }

    @Test
    void the_launcher_lists_every_command_and_each_has_help() throws Exception {
        Ran help = run(ROOT, launcher("--help"));
        assertEquals(0, help.exit(), help.toString());
        for (String c : COMMANDS) {
            assertTrue(help.out().contains("  " + c + " "), c + " in " + help.out());
        }
        assertTrue(help.out().contains("Exit codes: 0 done, 1 failed"), help.out());
        for (String c : COMMANDS) {
            Ran r = run(ROOT, jar(c, "--help"));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith("Usage: meterflow " + c), r.out());
            assertTrue(r.out().contains("Exit codes:"), r.out());
        }
        assertEquals("meterflow 0.1.0", run(ROOT, launcher("--version")).out().trim());
    }

    /** The jar holds the project's bulk-reading replacement of Paho's packet stream, not Paho's own. */
    @Test
    void the_jar_reads_mqtt_packets_with_the_projects_stream() throws Exception {
        String entry = "org/eclipse/paho/mqttv5/common/packet/util/CountingInputStream.class";
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile("target/meterflow.jar")) {
            assertEquals(1, jar.stream().filter(e -> e.getName().equals(entry)).count());
            try (var in = jar.getInputStream(jar.getEntry(entry))) {
                assertTrue(
                        java.util.Arrays.equals(
                                Files.readAllBytes(Path.of("target/classes", entry)), in.readAllBytes()),
                        "the jar's " + entry + " is not the project's");
            }
        }
    }

    @Test
    void options_are_parsed_never_taken_for_a_folder() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("parse"));
        assertEquals(0, run(dir, jar("generate", "--help")).exit());
        assertFalse(Files.exists(dir.resolve("--help")), "generate --help made a folder");
        Ran unknown = run(dir, jar("generate", "out", "--dayz", "2"));
        assertEquals(2, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().startsWith("Unknown options: '--dayz', '2'"), unknown.err());
        Ran missing = run(dir, jar("import", "out"));
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("Missing required option: '--meter=ID'"), missing.err());
        Ran early = run(dir, jar("generate", "out", "--start", "1999-12-31"));
        assertEquals(2, early.exit());
        assertTrue(early.err().contains("--start must be 2000-01-01 or later"), early.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void generate_writes_positive_counters_rising_across_files_from_any_start() throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve("gen"));
        Ran r = run(dir, jar("generate", "data", "--start", "2024-01-01", "--days", "1", "--step", "60"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("generated files=24 rows=1440 "), r.out());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("data/ecc38a217ccc"))) {
            files = s.sorted().toList();
        }
        assertEquals(24, files.size());
        double previous = 0;
        for (Path f : files) {
            for (String line : Files.readAllLines(f).subList(1, 61)) {
                String[] cells = line.split(",");
                double posAe = Double.parseDouble(cells[5]);
                double negAe = Double.parseDouble(cells[6]);
                assertTrue(posAe > previous, "pos_ae rises: " + f.getFileName() + " " + line);
                assertTrue(negAe > 0 && Double.parseDouble(cells[7]) > 0, line);
                previous = posAe;
            }
        }
    }

    @Test
    void check_config_names_the_bad_key_and_exits_1() throws Exception {
        Path home = home("check");
        Ran ok = run(home, launcher("check-config"));
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("ok " + home.resolve("config/meters.yaml") + ": 6 meters"), ok.out());
        assertTrue(ok.out().trim().endsWith("config is valid"));
        Ran typo = run(home, launcher("check-config", "-Dmeterflow.ingest.thread=4"));
        assertEquals(1, typo.exit(), typo.toString());
        assertTrue(
                typo.err()
                        .contains(
                                "meterflow.ingest.thread: not a Meterflow setting (did you mean meterflow.ingest.threads?)"),
                typo.err());
        String meters = Files.readString(home.resolve("config/meters.yaml"));
        Files.writeString(
                home.resolve("config/meters.yaml"),
                meters.replaceFirst("timezone: America/New_York", "timezone: Mars/Olympus"));
        Ran zone = run(home, launcher("check-config"));
        assertEquals(1, zone.exit());
        assertTrue(
                zone.err().contains("meters.yaml: meters[0].timezone: not an IANA timezone: Mars/Olympus"), zone.err());
        Files.writeString(home.resolve("config/meters.yaml"), meters);
    }

    @Test
    void import_shows_progress_lines_when_not_on_a_terminal_and_reingest_moves_rejected_files_back() throws Exception {
        Path home = home("import");
        assertEquals(
                0,
                run(home, jar("generate", "gen", "--days", "1", "--step", "10")).exit());
        Files.writeString(home.resolve("gen/ecc38a217ccc/broken.csv"), "no,timestamps\n1,2\n");
        Ran r = run(home, launcher("import", "gen/ecc38a217ccc", "--meter", "ecc38a217ccc", "--threads", "2"));
        assertEquals(1, r.exit(), "a rejected file makes the import fail: " + r);
        assertTrue(r.err().contains("rejected broken.csv: "), r.err());
        List<String> progress =
                r.out().lines().filter(l -> l.startsWith("import files=")).toList();
        assertFalse(progress.isEmpty(), r.out());
        String last = progress.get(progress.size() - 1);
        assertTrue(last.matches("import files=25/25 rows=8640 rows/s=\\d+ elapsed=[0-9.]+s eta=0s"), last);
        assertTrue(r.out().contains("import finished meter=ecc38a217ccc files=25 rows=8640 rejected=1"), r.out());
        assertFalse(r.out().contains("\r"), "no bar when stdout is not a terminal");

        Path rejected = home.resolve("inbox/.error/ecc38a217ccc/bad.csv");
        Files.createDirectories(rejected.getParent());
        Files.writeString(rejected, "x\n");
        Files.writeString(rejected.resolveSibling("bad.csv.reason"), "no timestamp column\n");
        Ran back = run(home, launcher("reingest", "ecc38a217ccc/bad.csv"));
        assertEquals(0, back.exit(), back.toString());
        assertTrue(Files.exists(home.resolve("inbox/ecc38a217ccc/bad.csv")));
        assertFalse(Files.exists(rejected) || Files.exists(rejected.resolveSibling("bad.csv.reason")));
        Ran none = run(home, launcher("reingest", "ecc38a217ccc/nothing.csv"));
        assertEquals(1, none.exit());
        assertTrue(none.err().startsWith("meterflow reingest: not a rejected file in "), none.err());

        // a backfill of the imported day, directly on the database (no engine runs)
        Path exports = home.resolve("config/exports.yaml");
        Files.writeString(exports, Files.readString(exports).replaceFirst("enabled: false", "enabled: true"));
        Ran backfill = run(
                home, launcher("backfill", "t10-nightly", "--from", "2025-01-01", "--to", "2025-01-02", "--direct"));
        assertEquals(0, backfill.exit(), backfill.toString());
        assertTrue(
                backfill.out().contains("backfill finished definition=t10-nightly windows=2 failed=0"), backfill.out());
        assertTrue(backfill.out().contains("backfill days=2/2 windows=2 "), backfill.out());
        List<Path> published;
        try (Stream<Path> files = Files.list(home.resolve("outbox/Foster_Farms_Cherry_Ave/2025/01"))) {
            published = files.filter(f -> f.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
        assertEquals(2, published.size(), published.toString());
        assertTrue(
                published.get(0).getFileName().toString().startsWith("AN53111387-E-15minRES_96CLP_250101.0000-"),
                published.toString());
        assertEquals(97, Files.readAllLines(published.get(0)).size());
        Ran unknown = run(home, launcher("backfill", "nope", "--from", "2025-01-01", "--to", "2025-01-01", "--direct"));
        assertEquals(1, unknown.exit());
        assertEquals(1, unknown.errLines().size(), unknown.toString());

        // on a terminal (a pseudo-terminal from script(1)): the bar, redrawn in place, with rate and ETA
        if (Files.isExecutable(Path.of("/usr/bin/script"))) {
            String command = String.join(" ", launcher("import", "gen/ecc38a217ccc", "--meter", "ecc38a217ccc"));
            Ran tty = run(home, List.of("/usr/bin/script", "-qec", command, "/dev/null"));
            assertTrue(tty.out().contains("\rimport ["), tty.toString());
            assertTrue(tty.out().matches("(?s).*\\] 100% 25/25 files .* rows/s  ETA 0:00 .*"), tty.out());
        }
    }

    @Test
    void the_progress_bar_shows_rate_and_eta() {
        long[] rows = {0};
        Progress p = new Progress("import", "files", 4, "rows", () -> rows[0], true, System.out);
        assertTrue(p.bar().contains("0/4 files") && p.bar().contains("ETA --:--"), p.bar());
        p.advance();
        rows[0] = 3600;
        String bar = p.bar();
        assertTrue(bar.startsWith("import [========>"), bar);
        assertTrue(bar.matches(".*\\]  25% 1/4 files  [0-9.kM]+ rows/s  ETA \\d+:\\d\\d $"), bar);
    }

    /** The one line of a failed start, on standard error. */
    static String failedStart(Ran r) {
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "one line: " + r);
        assertTrue(lines.get(0).startsWith("meterflow run: "), lines.get(0));
        assertFalse(r.out().contains("Exception") || r.err().contains("\tat "), r.toString());
        return lines.get(0);
    }

    @Test
    void every_start_up_failure_exits_1_with_one_line_naming_the_fix() throws Exception {
        Path home = home("failures");
        // port in use
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 18411));
            String line = failedStart(run(home, jar("--port", "18411")));
            assertTrue(line.contains("port 18411 on 127.0.0.1 is in use") && line.contains("--port N"), line);
        }
        // bad YAML and an unknown timezone
        Path meters = home.resolve("config/meters.yaml");
        String good = Files.readString(meters);
        Files.writeString(meters, "meters: [ {id: ecc38a217ccc\n");
        String yaml = failedStart(run(home, jar("--port", "18412")));
        assertTrue(yaml.contains("meters.yaml") && yaml.contains("fix it, then start again"), yaml);
        Files.writeString(meters, good.replaceFirst("timezone: America/New_York", "timezone: Mars/Olympus"));
        String zone = failedStart(run(home, jar("--port", "18412")));
        assertTrue(zone.contains("meters[0].timezone: not an IANA timezone: Mars/Olympus"), zone);
        Files.writeString(meters, good);
        // a setting with a bad value
        String setting = failedStart(run(home, jar("--port", "18412", "-Dmeterflow.ingest.threads=two")));
        assertTrue(setting.contains("meterflow.ingest.threads: expected a positive whole number, got 'two'"), setting);
        // a database that does not exist (PostgreSQL) or cannot be reached
        String database = failedStart(run(
                home,
                jar(
                        "--port",
                        "18412",
                        "-Dmeterflow.db.url=jdbc:postgresql://127.0.0.1:18413/meterflow",
                        "-Dmeterflow.db.user=meterflow")));
        assertTrue(database.contains("the database cannot be opened (meterflow.db.url)"), database);
        // a data folder that cannot be made (a file stands where its parent should be)
        Files.writeString(home.resolve("blocked"), "a file, not a folder\n");
        String folder = failedStart(run(home, jar("--port", "18412", "-Dmeterflow.db.url=jdbc:h2:./blocked/data/db")));
        assertTrue(folder.contains("cannot create the database folder") && folder.contains("meterflow.db.url"), folder);
        // an inbox that cannot be made (a file stands where its parent should be)
        String inbox = failedStart(run(home, jar("--port", "18412", "-Dmeterflow.inbox=blocked/inbox")));
        assertTrue(inbox.contains("cannot create the inbox") && inbox.contains("meterflow.inbox"), inbox);
        // started where there are no routes, with a home that has none
        Path empty = Files.createDirectories(ROOT.resolve("empty"));
        String routes = failedStart(run(empty, jar("--port", "18412", "--home", empty.toString())));
        assertTrue(routes.contains("routes folder not found") && routes.contains("METERFLOW_HOME"), routes);
        // with the stack trace when debugging
        Ran debug = run(home, jar("--port", "18412", "-Dmeterflow.ingest.threads=two", "-Dmeterflow.debug=true"));
        assertEquals(1, debug.exit());
        assertTrue(debug.err().contains("\tat "), "a trace with meterflow.debug=true");
    }

    @Test
    void the_engine_starts_from_another_directory_quietly_and_import_while_it_runs_says_what_to_do() throws Exception {
        Path home = home("elsewhere");
        Path exports = home.resolve("config/exports.yaml");
        Files.writeString(exports, Files.readString(exports).replaceFirst("enabled: false", "enabled: true"));
        Path elsewhere = Files.createDirectories(ROOT.resolve("elsewhere-cwd"));
        Path log = ROOT.resolve("elsewhere.log");
        Process engine = new ProcessBuilder(
                        launcher("--home", home.toString(), "--port", "18414", "-Dmeterflow.log.format=json"))
                .directory(elsewhere.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(90))
                    .until(() -> !engine.isAlive() || Files.readString(log).contains("meterflow started in"));
            String out = Files.readString(log);
            assertTrue(engine.isAlive(), out);
            List<String> lines = out.lines().toList();
            int started = 0;
            while (!lines.get(started).contains("meterflow started in")) {
                started++;
            }
            assertTrue(started + 1 <= 6, "a quiet start: one line per enabled flow and the address: " + out);
            // meterflow.log.format=json: every line a JSON object with the ECS fields
            for (String line : lines) {
                JsonNode event = new ObjectMapper().readTree(line);
                assertTrue(event.has("@timestamp") && event.has("log.level") && event.has("message"), line);
            }
            assertTrue(out.contains("http: listening on http://127.0.0.1:18414"), out);
            assertTrue(out.contains("inbox: watching " + home.resolve("inbox")), out);
            assertFalse(out.contains("0.0.0.0"), out);
            assertTrue(out.contains("scheduled export definition=t10-nightly cron="), "enabled: one line");
            assertFalse(out.contains("cherry-ave-weekly"), "disabled: not logged");
            assertTrue(Files.exists(home.resolve("data/meterflow.mv.db")), "the database in the home folder");
            Files.createDirectories(home.resolve("files"));
            Files.writeString(home.resolve("files/a.csv"), "timestamp,kw\n2025-01-06T00:00:00-05:00,1\n");
            Ran imported = run(
                    elsewhere,
                    launcher(
                            "import",
                            home.resolve("files").toString(),
                            "--meter",
                            "ecc38a217ccc",
                            "--home",
                            home.toString()));
            assertEquals(1, imported.exit(), imported.toString());
            assertEquals(
                    List.of("meterflow import: the database is in use by another process (a running engine): stop the"
                            + " engine first (or use the running engine's inbox)"),
                    imported.errLines());
            // a backfill through the running engine's API
            Ran backfill = run(
                    elsewhere,
                    launcher(
                            "backfill",
                            "t10-nightly",
                            "--from",
                            "2025-01-06",
                            "--to",
                            "2025-01-07",
                            "--url",
                            "http://127.0.0.1:18414",
                            "--home",
                            home.toString()));
            assertEquals(0, backfill.exit(), backfill.toString());
            assertTrue(
                    backfill.out().startsWith("backfill t10-nightly through http://127.0.0.1:18414"), backfill.out());
            assertTrue(backfill.out().contains("backfill finished definition=t10-nightly windows=2 failed=0"));
            JsonNode runs = new ObjectMapper()
                    .readTree(java.net.http.HttpClient.newBuilder()
                            .version(java.net.http.HttpClient.Version.HTTP_1_1)
                            .build()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                    "http://127.0.0.1:18414/api/exports/t10-nightly/runs"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body());
            assertTrue(
                    runs.get("runs").findValuesAsText("trigger").stream()
                                    .filter("manual"::equals)
                                    .count()
                            >= 2,
                    runs.toString());
        } finally {
            engine.destroy();
            engine.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
