package io.meterflow.export.schedule;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportException;
import io.meterflow.export.ExportFiles;
import io.meterflow.export.ExportRequest;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the export definitions of {@code config/exports.yaml}: for a window, writes the composite
 * CSV once, publishes it atomically into its outbox folder with a {@code .json} manifest, and
 * POSTs it to its HTTP endpoint. Every run is recorded per (definition, window); a re-run
 * replaces the file and the record. An HTTP delivery that still fails after its retries is kept
 * and tried again at the definition's next run.
 */
public final class ScheduledExports {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledExports.class);
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyMMdd.HHmm");
    private static final int MAX_BACKFILL_WINDOWS = 400;

    private final List<ScheduledExport> definitions;
    private final CompositeExport export;
    private final ExportRunTable runs;
    private final HttpDelivery http;
    private final Path outbox;
    private final Path work;
    private final Clock clock;
    private final Metrics metrics;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // ExportFiles closes the file

    public ScheduledExports(
            List<ScheduledExport> definitions,
            CompositeExport export,
            ExportRunTable runs,
            HttpDelivery http,
            Path outbox,
            Path work,
            Clock clock,
            Metrics metrics) {
        this.definitions = List.copyOf(definitions);
        this.export = export;
        this.runs = runs;
        this.http = http;
        this.outbox = outbox.toAbsolutePath().normalize();
        this.work = work;
        this.clock = clock;
        this.metrics = metrics;
    }

    public List<ScheduledExport> definitions() {
        return definitions;
    }

    public Optional<ScheduledExport> find(String name) {
        return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public List<ExportRunTable.Run> runs(String name) {
        return runs.runs(require(name).name(), 100);
    }

    /** The cron's next fire time after now; null for a disabled definition. */
    public Instant nextFire(ScheduledExport d) {
        if (!d.enabled()) {
            return null;
        }
        Date next = cron(d).getNextValidTimeAfter(Date.from(clock.instant()));
        return next == null ? null : next.toInstant();
    }

    /** The scheduled run of the window of the cron's latest fire time before now. */
    public ExportRunTable.Run fire(String name) {
        return fire(name, null);
    }

    /**
     * The scheduled run (called by the definition's Quartz route) for the fire due at {@code due}:
     * its window is exported unless a run has exported it already or a live engine is exporting it
     * (a cron firing more often than its window turns exports each window once); a run left by an
     * engine that died is taken over. With several engines on one database exactly one of them
     * runs a window (Quartz's clustered store fires each trigger once; the claim of the window's
     * run decides between a fire, a catch-up and a recovery meeting). Null when not run here.
     */
    public ExportRunTable.Run fire(String name, Date due) {
        ScheduledExport d = require(name);
        Instant fireTime = due != null ? due.toInstant() : lastFireBefore(d, clock.instant());
        ExportWindow.Range w = d.content().window().at(fireTime != null ? fireTime : clock.instant(), d.zone());
        retryUndelivered(d);
        ExportRunTable.Run run = runClaimed(d, w, RunTrigger.SCHEDULE, false);
        if (run == null) {
            LOG.info(
                    "scheduled export definition={} fire={} window={} exported already (or by another engine)",
                    d.name(),
                    fireTime,
                    w.start());
        }
        return run;
    }

    /**
     * Runs on request: the current window, the window of {@code date}, or every window from the one
     * holding {@code start} to the one holding {@code end} (a backfill).
     */
    public List<ExportRunTable.Run> runNow(String name, String date, String start, String end) {
        ScheduledExport d = require(name);
        if (!d.enabled()) {
            throw ExportException.conflict(
                    "DEFINITION_DISABLED", "export definition '" + name + "' is disabled (enabled: false)");
        }
        List<ExportWindow.Range> windows = new ArrayList<>();
        try {
            if (date != null && !date.isBlank()) {
                windows.add(d.content().window().forDate(date(d, date), d.zone()));
            } else if (start != null && !start.isBlank()) {
                LocalDate from = date(d, start);
                LocalDate to = end == null || end.isBlank() ? from : date(d, end);
                if (to.isBefore(from)) {
                    throw ExportException.invalid("INVALID_RANGE", "end must not be before start");
                }
                ExportWindow.Range w = d.content().window().forDate(from, d.zone());
                Instant last = d.content().window().forDate(to, d.zone()).start();
                while (!w.start().isAfter(last)) {
                    windows.add(w);
                    if (windows.size() > MAX_BACKFILL_WINDOWS) {
                        throw ExportException.invalid(
                                "RANGE_TOO_LARGE", "a backfill covers at most " + MAX_BACKFILL_WINDOWS + " windows");
                    }
                    w = d.content().window().next(w, d.zone());
                }
            } else {
                windows.add(d.content().window().at(clock.instant(), d.zone()));
            }
        } catch (DateTimeParseException e) {
            throw ExportException.invalid("INVALID_DATE", "dates are yyyy-MM-dd: " + e.getParsedString());
        }
        List<ExportRunTable.Run> done = new ArrayList<>();
        for (ExportWindow.Range w : windows) {
            ExportRunTable.Run run =
                    runClaimed(d, w, windows.size() > 1 ? RunTrigger.BACKFILL : RunTrigger.MANUAL, true);
            done.add(run != null ? run : current(d, w)); // a live engine is exporting that window now
        }
        return done;
    }

    /** A date of a run or backfill: from 1970 to today in the definition's zone (a later window has no data yet). */
    private LocalDate date(ScheduledExport d, String text) {
        LocalDate date = LocalDate.parse(text.trim());
        LocalDate today = clock.instant().atZone(d.zone()).toLocalDate();
        if (date.getYear() < 1970 || date.isAfter(today)) {
            throw ExportException.invalid(
                    "INVALID_DATE", "the date must lie between 1970-01-01 and today (" + today + "): " + text.trim());
        }
        return date;
    }

    /**
     * At start and every round after: every run left {@code running} by an engine that died (a
     * kill, a crash) is run again; then, for each enabled definition, the window of its latest fire
     * time before now is exported once if no run has covered it (no storm of catch-up runs).
     */
    public void catchUp() {
        for (ScheduledExport d : definitions) {
            if (!d.enabled()) {
                continue;
            }
            for (ExportWindow.Range w : runs.interrupted(d.name())) {
                if (runClaimed(d, w, RunTrigger.CATCH_UP, false) != null) {
                    LOG.info("scheduled export re-ran an interrupted run definition={} window={}", d.name(), w.start());
                }
            }
            Instant lastFire = lastFireBefore(d, clock.instant());
            if (lastFire == null) {
                continue;
            }
            ExportWindow.Range w = d.content().window().at(lastFire, d.zone());
            if (!runs.exported(d.name(), w.start()) && runClaimed(d, w, RunTrigger.CATCH_UP, false) != null) {
                LOG.info("scheduled export caught up definition={} window={}", d.name(), w.start());
            }
        }
    }

    /** Claims the window's run and runs it; null when the claim went to another run. */
    private ExportRunTable.Run runClaimed(
            ScheduledExport d, ExportWindow.Range w, RunTrigger trigger, boolean replaceFinished) {
        // one run of a definition at a time within the engine (schedule, catch-up and API calls may meet)
        synchronized (locks.computeIfAbsent(d.name(), k -> new Object())) {
            if (!runs.claim(d.name(), w.start(), w.endExclusive(), trigger, Instant.now(), replaceFinished)) {
                return null;
            }
            return runWindowAlone(d, w);
        }
    }

    private ExportRunTable.Run current(ScheduledExport d, ExportWindow.Range w) {
        return runs.runs(d.name(), MAX_BACKFILL_WINDOWS).stream()
                .filter(r -> r.windowStart().equals(w.start()))
                .findFirst()
                .orElseThrow();
    }

    private ExportRunTable.Run runWindowAlone(ScheduledExport d, ExportWindow.Range w) {
        long started = System.nanoTime();
        ExportRequest request = new ExportRequest(
                d.content().meters(),
                w.start(),
                w.endInclusive(),
                d.content().resolution(),
                d.content().aggregation(),
                d.zone(),
                d.content().baseName(),
                true);
        String fileName = fileName(d, request);
        Path file = work.resolve(d.name()).resolve(fileName);
        try {
            Files.createDirectories(file.getParent());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            CompositeExport.Result result =
                    ExportFiles.writeAtomically(file, sha, out -> export.write(request, out, rows -> {}));
            runs.written(d.name(), w.start(), result.rows(), fileName, file.toString(), coverage(result));
            Map<String, Object> manifest =
                    manifest(d, request, w, result, fileName, HexFormat.of().formatHex(sha.digest()));
            boolean ok = true;
            if (d.destinations().folder() != null) {
                publish(d, w, file, fileName, manifest);
                runs.folder(d.name(), w.start(), DeliveryStatus.DELIVERED);
                metrics.delivery("folder", "delivered");
            }
            if (d.destinations().http() != null) {
                ok = deliver(d, w.start(), file, fileName);
            } else {
                Files.deleteIfExists(file);
            }
            runs.finish(d.name(), w.start(), ok ? RunStatus.COMPLETED : RunStatus.PARTIAL, null, Instant.now());
            metrics.scheduledRun(ok ? "completed" : "partial", System.nanoTime() - started);
            LOG.info(
                    "scheduled export {} definition={} window={} rows={} file={}",
                    ok ? "completed" : "partial",
                    d.name(),
                    IsoTimes.format(w.start(), d.zone()),
                    result.rows(),
                    fileName);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            LOG.warn("scheduled export failed definition={} window={}: {}", d.name(), w.start(), e.toString());
            deleteQuietly(file); // a failed run keeps nothing: it is run again as a whole
            runs.finish(d.name(), w.start(), RunStatus.FAILED, ExportFiles.code(e) + ": " + e, Instant.now());
            metrics.scheduledRun("failed", System.nanoTime() - started);
        }
        return current(d, w);
    }

    /** The share of the file's bins holding data, over all its meters, in percent (two decimals). */
    static double coverage(CompositeExport.Result result) {
        long cells = result.rows() * result.binsWithData().length;
        if (cells == 0) {
            return 0;
        }
        long withData = 0;
        for (long bins : result.binsWithData()) {
            withData += bins;
        }
        return Math.round(10_000.0 * withData / cells) / 100.0;
    }

    private boolean deliver(ScheduledExport d, Instant windowStart, Path file, String fileName) throws IOException {
        HttpDelivery.Outcome outcome = http.deliver(d.destinations().http(), file, fileName);
        runs.http(
                d.name(),
                windowStart,
                outcome.delivered() ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED,
                outcome.attempts(),
                outcome.error());
        metrics.delivery("http", outcome.delivered() ? "delivered" : "failed");
        if (outcome.delivered()) {
            Files.deleteIfExists(file);
        }
        return outcome.delivered();
    }

    /** HTTP deliveries that failed at earlier runs are tried again before the new run. */
    private void retryUndelivered(ScheduledExport d) {
        if (d.destinations().http() == null) {
            return;
        }
        for (ExportRunTable.Run r : runs.undelivered(d.name())) {
            ExportRunTable.Output out = r.output();
            if (out.filePath() == null || !Files.exists(Path.of(out.filePath()))) {
                runs.stillUndelivered(d.name(), r.windowStart(), 0, "the file to deliver is gone; re-run the window");
                continue;
            }
            HttpDelivery.Outcome outcome =
                    http.deliver(d.destinations().http(), Path.of(out.filePath()), out.fileName());
            if (outcome.delivered()) {
                runs.deliveredLate(d.name(), r.windowStart(), outcome.attempts(), Instant.now());
                deleteQuietly(Path.of(out.filePath()));
                LOG.info("scheduled export delivered late definition={} file={}", d.name(), out.fileName());
            } else {
                runs.stillUndelivered(d.name(), r.windowStart(), outcome.attempts(), outcome.error());
            }
        }
    }

    /** Writes the CSV, then its manifest, each under a hidden temporary name renamed into place. */
    private void publish(
            ScheduledExport d, ExportWindow.Range w, Path file, String fileName, Map<String, Object> manifest)
            throws IOException {
        Path dir = outbox.resolve(folder(d, w)).normalize();
        if (!dir.startsWith(outbox)) {
            throw new IOException("folder of " + d.name() + " leaves the outbox: " + dir);
        }
        Files.createDirectories(dir);
        // both written in full under hidden names first: a full disk leaves no CSV without its manifest
        Path tmp = dir.resolve("." + fileName + ".tmp");
        Path manifestTmp = dir.resolve("." + fileName + ".json.tmp");
        try {
            try {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new IOException(
                        "cannot write " + outbox.relativize(tmp) + " in the outbox: " + e.getMessage(), e);
            }
            try {
                ExportFiles.write(manifestTmp, null, out -> {
                    json.writeValue(out, manifest);
                    return null;
                });
            } catch (IOException e) {
                throw new IOException(
                        "cannot write " + outbox.relativize(manifestTmp) + " in the outbox: " + e.getMessage(), e);
            }
            Files.move(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(
                    manifestTmp,
                    dir.resolve(fileName + ".json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(manifestTmp);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.toString());
        }
    }

    private Map<String, Object> manifest(
            ScheduledExport d,
            ExportRequest request,
            ExportWindow.Range w,
            CompositeExport.Result result,
            String fileName,
            String sha256) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", d.name());
        m.put("file", fileName);
        m.put("sha256", sha256);
        m.put("rows", result.rows());
        m.put("resolution", d.content().resolution().key());
        m.put("aggregation", d.content().aggregation().key());
        m.put(
                "window",
                Map.of(
                        "start",
                        IsoTimes.format(w.start(), d.zone()),
                        "end",
                        IsoTimes.format(w.endExclusive(), d.zone())));
        List<Map<String, Object>> meters = new ArrayList<>();
        for (int i = 0; i < request.meters().size(); i++) {
            Meter meter = request.meters().get(i);
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", meter.id());
            mm.put("serial", meter.serial());
            mm.put("bins_with_data", result.binsWithData()[i]);
            mm.put(
                    "coverage_percent",
                    result.rows() == 0 ? 0.0 : Math.round(10_000.0 * result.binsWithData()[i] / result.rows()) / 100.0);
            meters.add(mm);
        }
        m.put("meters", meters);
        m.put("created_at", Instant.now().toString());
        return m;
    }

    private static String folder(ScheduledExport d, ExportWindow.Range w) {
        OffsetDateTime start = OffsetDateTime.ofInstant(w.start(), d.zone());
        String site = d.content().site() != null
                ? d.content().site()
                : d.content().meters().get(0).site() != null
                        ? d.content().meters().get(0).site()
                        : "unknown-site";
        return d.destinations()
                .folder()
                .replace("{site}", safe(site))
                .replace("{name}", d.name())
                .replace("{meter}", d.content().meters().get(0).id())
                .replace("{yyyy}", String.format("%04d", start.getYear()))
                .replace("{MM}", String.format("%02d", start.getMonthValue()))
                .replace("{dd}", String.format("%02d", start.getDayOfMonth()));
    }

    private static String fileName(ScheduledExport d, ExportRequest request) {
        if (d.content().fileTemplate() == null) {
            return CompositeExport.fileName(request);
        }
        String name = d.content()
                .fileTemplate()
                .replace("{base}", request.baseName())
                .replace("{name}", d.name())
                .replace("{resolution}", request.resolution().key())
                .replace("{rows}", Long.toString(request.rowCount()))
                .replace(
                        "{start}",
                        OffsetDateTime.ofInstant(request.start(), request.zone())
                                .format(NAME_TIME))
                .replace(
                        "{end}",
                        OffsetDateTime.ofInstant(request.end(), request.zone()).format(NAME_TIME))
                .replace(
                        "{date}",
                        OffsetDateTime.ofInstant(request.start(), request.zone())
                                .toLocalDate()
                                .toString());
        return safe(name);
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private ScheduledExport require(String name) {
        return find(name)
                .orElseThrow(() -> ExportException.notFound(
                        "EXPORT_NOT_FOUND", "no export definition named '" + name + "'", null));
    }

    private static CronExpression cron(ScheduledExport d) {
        try {
            CronExpression c = new CronExpression(d.cron());
            c.setTimeZone(TimeZone.getTimeZone(d.zone()));
            return c;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest fire time at or before {@code now}, looking back at most 400 days. */
    static Instant lastFireBefore(ScheduledExport d, Instant now) {
        CronExpression c = cron(d);
        Date end = Date.from(now);
        for (Duration lookback : new Duration[] {
            Duration.ofMinutes(2), Duration.ofHours(2), Duration.ofDays(2), Duration.ofDays(40), Duration.ofDays(400)
        }) {
            Date t = Date.from(now.minus(lookback));
            Date last = null;
            for (int i = 0; i < 200_000; i++) {
                Date next = c.getNextValidTimeAfter(t);
                if (next == null || next.after(end)) {
                    if (last != null) {
                        return last.toInstant();
                    }
                    break;
                }
                last = next;
                t = next;
            }
        }
        return null;
    }
}
