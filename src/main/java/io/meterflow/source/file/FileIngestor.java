package io.meterflow.source.file;

import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.ingest.TimestampFormats;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.StoreAvailability;
import io.meterflow.store.StoreException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests meter CSV files: parse, store in one transaction together with the file's ledger row.
 * Files from the inbox are then moved to {@code inbox/.done/...}, or, when rejected, to
 * {@code inbox/.error/...} beside a {@code .reason} file holding the one-line reason.
 */
public final class FileIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(FileIngestor.class);

    private final Path inbox;
    private final MeterRegistry registry;
    private final SampleWriter writer;
    private final IngestedFiles ledger;
    private final StoreAvailability availability;
    private final SeriesRegistrar series;
    private final TimestampFormats formats;
    private final Metrics metrics;

    public FileIngestor(
            Path inbox,
            MeterRegistry registry,
            SampleWriter writer,
            IngestedFiles ledger,
            StoreAvailability availability,
            SeriesRegistrar series,
            TimestampFormats formats,
            Metrics metrics) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.registry = registry;
        this.writer = writer;
        this.ledger = ledger;
        this.availability = availability;
        this.series = series;
        this.formats = formats;
        this.metrics = metrics;
    }

    /**
     * Ingests a file dropped into {@code inbox/<meter-id>/...}, then moves it out of the inbox. While
     * the database cannot take writes the file waits here (neither rejected nor moved) and is
     * ingested once it can.
     */
    public IngestReport ingestDropped(File file) throws Exception {
        try {
            return availability.hold(() -> ingestAndMove(file));
        } catch (NoSuchFileException e) {
            // another engine sharing the inbox took the file between this engine's scan and now
            LOG.debug("file gone before it was ingested: {}", file);
            return null;
        }
    }

    private IngestReport ingestAndMove(File file) throws IOException {
        Path path = file.toPath().toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        Path relative = inbox.relativize(path);
        long started = System.nanoTime();
        IngestReport report;
        if (relative.getNameCount() < 2) {
            report = reject(
                    null,
                    relative.toString(),
                    path,
                    "file is not in a meter folder (inbox/<meter-id>/" + relative + ")");
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
        if (report.ingested()) {
            metrics.fileIngested(report.stats().rows, report.samplesWritten(), System.nanoTime() - started);
        } else {
            metrics.fileRejected(System.nanoTime() - started);
        }
        return report;
    }

    /**
     * At start: every file in {@code .done} whose ingestion the ledger does not record (a commit
     * lost in a crash) goes back into the inbox to be ingested again; writes are idempotent, so at
     * worst a file is read twice. A file of the same name already waiting in the inbox wins.
     *
     * @return the files put back
     */
    public int requeueUnrecorded() throws IOException {
        Path done = inbox.resolve(".done");
        if (!Files.isDirectory(done)) {
            return 0;
        }
        Set<String> recorded = ledger.ingestedFiles();
        List<Path> lost;
        try (Stream<Path> files = Files.walk(done)) {
            lost = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".reason"))
                    .filter(f -> !recorded.contains(done.relativize(f) + "\0" + size(f)))
                    .toList();
        }
        int requeued = 0;
        for (Path f : lost) {
            Path target = inbox.resolve(done.relativize(f));
            if (Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("file requeued: in .done but not recorded as ingested file={}", done.relativize(f));
            requeued++;
        }
        return requeued;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Ingests one file for a meter (registering the meter when new), without moving it. Data is
     * written in one transaction: on rejection or failure nothing of the file is stored.
     */
    public IngestReport ingest(Path file, String meterId, String displayPath) throws IOException {
        if (displayPath.length() > IngestedFiles.MAX_PATH) {
            return reject(meterId, displayPath, file, "path is longer than " + IngestedFiles.MAX_PATH + " characters");
        }
        Meter meter = registry.findOrRegister(meterId);
        long started = System.nanoTime();
        long size = Files.size(file);
        Instant nameTime = FilenameTimestamps.parse(file.getFileName().toString(), meter.zone())
                .orElse(null);
        ParseStats[] stats = new ParseStats[1];
        try {
            SampleWriter.Written written = writer.write(meter, batch -> {
                stats[0] = new ParseStats();
                FileContext ctx = new FileContext(
                        meter.zone(),
                        formats,
                        meter.columns(),
                        file.getFileName().toString());
                try (InputStream in = Files.newInputStream(file)) {
                    MeterCsvParser.parse(in, ctx, series.describing(meter, batch), stats[0]);
                } catch (IOException e) {
                    throw new FileRejectedException("cannot read file: " + e);
                }
                batch.flush();
                stats[0].duplicateRows = batch.duplicateRows();
                IngestedFiles.Entry entry = IngestedFiles.Entry.ingested(
                        meter.id(),
                        displayPath,
                        size,
                        nameTime,
                        batch.firstMillis(),
                        batch.lastMillis(),
                        stats[0],
                        batch.samplesWritten());
                batch.alsoInTransaction(c -> ledger.record(c, entry));
            });
            return new IngestReport(
                    meter.id(),
                    displayPath,
                    true,
                    null,
                    stats[0],
                    written.samples(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (FileRejectedException e) {
            return reject(meter.id(), displayPath, file, e.getMessage());
        } catch (StoreException e) {
            if (e.unavailable()) {
                throw e;
            }
            if (!availability.answers()) {
                throw new StoreException(
                        "the database does not answer", new SQLTransientConnectionException(e.reason()));
            }
            // the database answers, so it is this file it cannot take: never retried in a loop
            LOG.error("file cannot be stored file={}", displayPath, e);
            return reject(meter.id(), displayPath, file, "cannot be stored: " + e.reason());
        } catch (RetryableWriteException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("file cannot be ingested file={}", displayPath, e);
            return reject(meter.id(), displayPath, file, "cannot be ingested: " + e);
        }
    }

    private IngestReport reject(String meterId, String displayPath, Path file, String reason) throws IOException {
        String line = reason.replace('\n', ' ').replace('\r', ' ');
        ledger.record(
                IngestedFiles.Entry.rejected(meterId == null ? "" : meterId, displayPath, Files.size(file), line));
        return new IngestReport(meterId, displayPath, false, line, new ParseStats(), 0, 0);
    }
}
