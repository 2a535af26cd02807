package io.meterflow.app;

import io.meterflow.series.MeterId;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.PropertyFile;
import io.meterflow.source.file.IngestReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import <dir> --meter <id> [--threads N]}: bulk-imports every file below a folder for one
 * meter through the same parse-and-store path as the inbox, leaving the files where they are,
 * with a progress bar (rate, time left) on a terminal and progress lines otherwise. The engine
 * must not be running on the same embedded H2 database.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Imports every file below DIR for one meter (a backfill), through the same parse-and-store"
                + " path as the inbox; the files stay where they are. Stop the engine first when it uses the"
                + " embedded H2 database (or drop the files into the running engine's inbox instead).",
        footer = {
            "",
            "Exit codes: 0 every file imported, 1 some files rejected or the import failed, 2 bad command line."
        })
final class ImportCommand implements Callable<Integer> {

    @Mixin
    LaunchOptions launch;

    @Parameters(index = "0", paramLabel = "DIR", description = "the folder of meter files (searched recursively)")
    Path dir;

    @Option(names = "--meter", required = true, paramLabel = "ID", description = "the meter the files belong to")
    String meterId;

    @Option(names = "--threads", paramLabel = "N", description = "files imported at once (default: ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** For tests and scripts that call it in-process. */
    static int run(String[] args) {
        return MeterflowCommand.commandLine(new ImportCommand()).execute(args);
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a folder: " + dir);
        }
        String problem = MeterId.problem(meterId);
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--meter: " + problem);
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        try {
            Path home = Home.resolve();
            Logs.configure(home);
            List<Path> files = listFiles(dir);
            try (Engine engine = Engine.start(EngineSettings.from(PropertyFile.lookup(Home.propertiesFile(home))))) {
                return importAll(engine, files);
            }
        } catch (Exception | LinkageError e) {
            return StartupFailure.report("import", e, System.err);
        }
    }

    /** Every regular file below {@code dir}, skipping hidden files and folders, sorted by path. */
    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(dir.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private int importAll(Engine engine, List<Path> files) throws Exception {
        AtomicLong rows = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        Progress progress = new Progress(
                "import", "files", files.size(), "rows", rows::get, Progress.stdoutIsTerminal(), System.out);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (Path file : files) {
            futures.add(pool.submit(() -> {
                try {
                    IngestReport report = engine.fileIngestor()
                            .ingest(file, meterId, dir.relativize(file).toString());
                    if (report.ingested()) {
                        rows.addAndGet(report.stats().rows);
                    } else {
                        rejected.incrementAndGet();
                        System.err.println("rejected " + report.path() + ": " + report.reason());
                    }
                    progress.advance();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        pool.shutdown();
        while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
            progress.tick();
        }
        for (Future<?> f : futures) {
            f.get();
        }
        progress.finish();
        System.out.println("import finished meter=" + meterId + " files=" + progress.done() + " rows=" + rows.get()
                + " rejected=" + rejected.get());
        return rejected.get() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
