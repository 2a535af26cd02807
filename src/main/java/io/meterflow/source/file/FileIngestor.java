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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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
    /** Folders below .done and .error made so far: each is made once, not for every file moved into it. */
    private final Set<Path> madeFolders = ConcurrentHashMap.newKeySet();

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
     * Ingests a file dropped into {@code inbox/<meter-id>/...} now, in the calling thread, then
     * moves it out of the inbox. While the database cannot take writes the file waits here
     * (neither rejected nor moved) and is ingested once it can; null when the file is gone
     * (another engine sharing the inbox took it).
     */
    public IngestReport ingestDropped(File file) throws Exception {
        try {
            return availability.hold(() -> {
                Submitted submitted = submitDropped(file.toPath());
                return settle(submitted, awaitWrite(submitted));
            });
        } catch (NoSuchFileException e) {
            LOG.debug("file gone before it was ingested: {}", file);
            return null;
        }
    }

    /**
     * Ingests a file dropped into {@code inbox/<meter-id>/...} without waiting for its commit: it
     * is parsed and encoded in the calling thread, its blocks wait for the writer together with
     * those of other files (one transaction for all of them), and once they are committed the file
     * is moved out of the inbox, in a task on {@code settleOn}: to {@code .done}, or, when
     * rejected, to {@code .error} beside its {@code .reason}. The future fails, and the file stays
     * in the inbox to be taken again later, when the database cannot take writes now
     * ({@link StoreException#unavailable()}), when every attempt lost a race with another engine
     * ({@link RetryableWriteException}), or when the file is gone ({@link NoSuchFileException}:
     * another engine took it).
     */
    public CompletableFuture<IngestReport> ingestDropped(Path file, Executor settleOn) {
        Submitted submitted;
        try {
            submitted = submitDropped(file);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submitted.written.handleAsync(
                (written, failure) -> {
                    try {
                        return settle(
                                submitted,
                                failure == null ? report(submitted, written) : writeFailure(submitted, failure));
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                },
                settleOn);
    }

    /** A file whose rows went to the writer (or were rejected before): what its settling needs. */
    private record Submitted(
            Path path,
            Path relative,
            String displayPath,
            String meterId,
            long started,
            IngestReport rejected,
            ParseStats stats,
            CompletableFuture<SampleWriter.Written> written) {}

    private Submitted submitDropped(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize(); // gone (another engine took it): NoSuchFileException below
        long started = System.nanoTime();
        Path relative = inbox.relativize(path);
        if (relative.getNameCount() < 2) {
            return rejected(
                    path,
                    relative,
                    started,
                    reject(
                            null,
                            relative.toString(),
                            path,
                            "file is not in a meter folder (inbox/<meter-id>/" + relative + ")"));
        }
        String meterId = relative.getName(0).toString();
        String problem = MeterId.problem(meterId);
        if (problem != null) {
            return rejected(
                    path,
                    relative,
                    started,
                    reject(null, relative.toString(), path, "folder is not a valid meter id: " + problem));
        }
        return submit(path, relative, meterId, relative.toString(), started);
    }

    private static Submitted rejected(Path path, Path relative, long started, IngestReport report) {
        return new Submitted(
                path,
                relative,
                report.path(),
                report.meterId(),
                started,
                report,
                null,
                CompletableFuture.completedFuture(null));
    }

    /** Moves a file out of the inbox as its report says, logs it and counts it. */
    private IngestReport settle(Submitted s, IngestReport report) throws IOException {
        Path target = inbox.resolve(report.ingested() ? ".done" : ".error").resolve(s.relative);
        moveInto(s.path, target);
        if (!report.ingested()) { // a reason of an earlier rejection of the same name is replaced
            Path reason = target.resolveSibling(target.getFileName() + ".reason");
            Files.writeString(reason, report.reason() + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        LOG.info("{}", report);
        if (report.ingested()) {
            metrics.fileIngested(report.stats().rows, report.samplesWritten(), System.nanoTime() - s.started);
        } else {
            metrics.fileRejected(System.nanoTime() - s.started);
        }
        return report;
    }

    /**
     * Moves a file (replacing an older one of the same name), making the target's folder the
     * first time it is needed (folders made are remembered): one rename, no checks around it.
     */
    private void moveInto(Path file, Path target) throws IOException {
        Path folder = target.getParent();
        if (!madeFolders.contains(folder)) {
            Files.createDirectories(folder);
            madeFolders.add(folder);
        }
        if (file.toFile().renameTo(target.toFile())) {
            return;
        }
        // it failed: the reason, from the move that tells it (or the folder was removed since it was made)
        if (Files.exists(file)) {
            Files.createDirectories(folder);
        }
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Ingests one file for a meter (registering the meter when new), without moving it, and
     * returns once it is committed. Data is written in one transaction: on rejection or failure
     * nothing of the file is stored.
     */
    public IngestReport ingest(Path file, String meterId, String displayPath) throws IOException {
        return awaitWrite(submit(file, null, meterId, displayPath, System.nanoTime()));
    }

    /** Parses a file and hands its rows to the writer (or rejects it). */
    private Submitted submit(Path file, Path relative, String meterId, String displayPath, long started)
            throws IOException {
        if (displayPath.length() > IngestedFiles.MAX_PATH) {
            return rejected(
                    file,
                    relative,
                    started,
                    reject(
                            meterId,
                            displayPath,
                            file,
                            "path is longer than " + IngestedFiles.MAX_PATH + " characters"));
        }
        Meter meter = registry.findOrRegister(meterId);
        long size = Files.size(file);
        Instant nameTime = FilenameTimestamps.parse(file.getFileName().toString(), meter.zone())
                .orElse(null);
        ParseStats[] stats = new ParseStats[1];
        CompletableFuture<SampleWriter.Written> written;
        try {
            written = writer.writeAsync(meter, batch -> {
                stats[0] = new ParseStats();
                FileContext ctx = new FileContext(
                        meter.zone(),
                        formats,
                        meter.columns(),
                        file.getFileName().toString());
                try (InputStream in = Files.newInputStream(file)) {
                    MeterCsvParser.parse(in, size, ctx, series.describing(meter, batch), stats[0]);
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
        } catch (FileRejectedException e) {
            return rejected(file, relative, started, reject(meter.id(), displayPath, file, e.getMessage()));
        } catch (RuntimeException e) {
            return rejected(file, relative, started, failed(meter.id(), displayPath, file, e));
        }
        return new Submitted(file, relative, displayPath, meter.id(), started, null, stats[0], written);
    }

    /** Waits for a file's commit: its report, or the rejection a failure of the write means. */
    private IngestReport awaitWrite(Submitted s) throws IOException {
        try {
            return report(s, s.written.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(
                    "interrupted while the write was committed", new SQLTransientConnectionException("interrupted"));
        } catch (ExecutionException e) {
            return writeFailure(s, e.getCause());
        }
    }

    /** A failed write of a file: the rejection it means, or thrown when the file is to wait in the inbox. */
    private IngestReport writeFailure(Submitted s, Throwable failure) throws IOException {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (cause instanceof RuntimeException r) {
            return failed(s.meterId, s.displayPath, s.path, r);
        }
        if (cause instanceof Error e) {
            throw e;
        }
        throw new StoreException("write failed", cause);
    }

    /** A file's report: its rejection, or what its committed write stored. */
    private static IngestReport report(Submitted s, SampleWriter.Written written) {
        if (s.rejected != null) {
            return s.rejected;
        }
        return new IngestReport(
                s.meterId,
                s.displayPath,
                true,
                null,
                s.stats,
                written.samples(),
                (System.nanoTime() - s.started) / 1_000_000);
    }

    /**
     * A write that failed: thrown on (the file waits) when the database cannot take writes or the
     * write lost every race with another engine; else the file cannot be stored and is rejected.
     */
    private IngestReport failed(String meterId, String displayPath, Path file, RuntimeException e) throws IOException {
        if (e instanceof StoreException se) {
            if (se.unavailable()) {
                throw se;
            }
            if (!availability.answers()) {
                throw new StoreException(
                        "the database does not answer", new SQLTransientConnectionException(se.reason()));
            }
            // the database answers, so it is this file it cannot take: never retried in a loop
            LOG.error("file cannot be stored file={}", displayPath, e);
            return reject(meterId, displayPath, file, "cannot be stored: " + se.reason());
        }
        if (e instanceof RetryableWriteException) {
            throw e;
        }
        LOG.error("file cannot be ingested file={}", displayPath, e);
        return reject(meterId, displayPath, file, "cannot be ingested: " + e);
    }

    private IngestReport reject(String meterId, String displayPath, Path file, String reason) throws IOException {
        String line = reason.replace('\n', ' ').replace('\r', ' ');
        ledger.record(
                IngestedFiles.Entry.rejected(meterId == null ? "" : meterId, displayPath, Files.size(file), line));
        return new IngestReport(meterId, displayPath, false, line, new ParseStats(), 0, 0);
    }
}
