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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code import <dir> --meter <id> [--threads N]}: bulk-imports every file below a folder for one
 * meter through the same parse-and-store path as the inbox, leaving the files where they are.
 * Prints a progress line (files, rows, rows/s) every two seconds and a summary at the end.
 */
final class ImportCommand {

    private ImportCommand() {}

    static int run(String[] args) throws Exception {
        Path dir = null;
        String meterId = null;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--meter" -> meterId = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null || meterId == null || !Files.isDirectory(dir)) {
            System.err.println("usage: java -jar meterflow.jar import <dir> --meter <id> [--threads N]");
            return 2;
        }
        String problem = MeterId.problem(meterId);
        if (problem != null) {
            System.err.println("import: " + problem);
            return 2;
        }
        List<Path> files = listFiles(dir);
        try (Engine engine =
                Engine.start(EngineSettings.from(PropertyFile.lookup(Path.of("config/application.properties"))))) {
            return importAll(engine, dir, files, meterId, threads);
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

    private static int importAll(Engine engine, Path dir, List<Path> files, String meterId, int threads)
            throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        long started = System.nanoTime();
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
                    done.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        pool.shutdown();
        while (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
            progress(done.get(), files.size(), rows.get(), started);
        }
        for (Future<?> f : futures) {
            f.get();
        }
        progress(done.get(), files.size(), rows.get(), started);
        System.out.println("import finished meter=" + meterId + " files=" + done.get() + " rejected=" + rejected.get());
        return rejected.get() == 0 ? 0 : 1;
    }

    private static void progress(long done, int total, long rows, long started) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        System.out.printf(
                "files=%d/%d rows=%d rows/s=%.0f elapsed=%.1fs%n", done, total, rows, rows / seconds, seconds);
    }
}
