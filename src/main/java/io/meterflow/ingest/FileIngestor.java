package io.meterflow.ingest;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.IngestedFiles;
import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.WriteSession;

/**
 * Ingests meter CSV files: parse, store in one transaction, record in the ledger. Files from the
 * inbox are then moved to {@code inbox/.done/...}, or, when rejected, to {@code inbox/.error/...}
 * beside a {@code .reason} file holding the one-line reason.
 */
public final class FileIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(FileIngestor.class);
    private static final int ATTEMPTS = 3;

    private final Path inbox;
    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final SampleStore store;
    private final IngestedFiles ledger;

    public FileIngestor(Path inbox, MeterRegistry registry, SeriesCatalog catalog, SampleStore store, IngestedFiles ledger) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.registry = registry;
        this.catalog = catalog;
        this.store = store;
        this.ledger = ledger;
    }

    /** Ingests a file dropped into {@code inbox/<meter-id>/...}, then moves it out of the inbox. */
    public IngestReport ingestDropped(File file) throws IOException {
        Path path = file.toPath().toAbsolutePath().normalize();
        Path relative = inbox.relativize(path);
        IngestReport report;
        if (relative.getNameCount() < 2) {
            report = reject(null, relative.toString(), path, "file is not in a meter folder (inbox/<meter-id>/" + relative + ")");
        } else {
            String meterId = relative.getName(0).toString();
            String problem = MeterId.problem(meterId);
            report = problem != null
                    ? reject(null, relative.toString(), path, "folder is not a valid meter id: " + problem)
                    : ingest(path, meterId, relative.toString());
        }
        Path target = inbox.resolve(report.ingested() ? ".done" : ".error").resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
        Path reason = target.resolveSibling(target.getFileName() + ".reason");
        if (report.ingested()) {
            Files.deleteIfExists(reason);
        } else {
            Files.writeString(reason, report.reason() + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        LOG.info("{}", report);
        return report;
    }

    /**
     * Ingests one file for a meter (registering the meter when new), without moving it. Data is
     * written in one transaction: on rejection or failure nothing of the file is stored.
     */
    public IngestReport ingest(Path file, String meterId, String displayPath) throws IOException {
        Meter meter = registry.findOrRegister(meterId);
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return ingestOnce(file, meter, displayPath, started);
            } catch (FileRejectedException e) {
                return reject(meter.id(), displayPath, file, e.getMessage());
            } catch (IOException e) {
                return reject(meter.id(), displayPath, file, "cannot read file: " + e);
            } catch (RetryableWriteException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.info("retrying file={} after a write conflict: {}", displayPath, e.getMessage());
            }
        }
    }

    private IngestReport ingestOnce(Path file, Meter meter, String displayPath, long started)
            throws IOException, FileRejectedException {
        long size = Files.size(file);
        ParseStats stats = new ParseStats();
        try (WriteSession session = store.openSession(meter.id());
             InputStream in = Files.newInputStream(file)) {
            HourlyBatcher batcher = new HourlyBatcher(meter, registry, catalog, session, stats);
            MeterCsvParser.parse(in, new TimestampParser(meter.zone()), batcher, stats);
            batcher.finish();
            ledger.record(session.connection(), new IngestedFiles.Entry(meter.id(), displayPath, size, "ingested", null,
                    nameTime(file, meter), batcher.firstMillis(), batcher.lastMillis(), stats.rows,
                    session.samplesWritten(), stats.skippedCells, stats.blankLines, stats.badTimestampRows,
                    stats.duplicateRows));
            session.commit();
            return new IngestReport(meter.id(), displayPath, true, null, stats, session.samplesWritten(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private IngestReport reject(String meterId, String displayPath, Path file, String reason) throws IOException {
        String line = reason.replace('\n', ' ').replace('\r', ' ');
        ledger.record(new IngestedFiles.Entry(meterId == null ? "" : meterId, displayPath, Files.size(file), "rejected",
                line, null, null, null, 0, 0, 0, 0, 0, 0));
        return new IngestReport(meterId, displayPath, false, line, new ParseStats(), 0, 0);
    }

    private static Instant nameTime(Path file, Meter meter) {
        return FilenameTimestamps.parse(file.getFileName().toString(), meter.zone()).orElse(null);
    }
}
