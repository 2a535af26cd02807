package io.meterflow.export.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportException;
import io.meterflow.export.ExportRequest;
import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.store.ScheduleClaims;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
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
    private final ScheduleClaims claims;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ScheduledExports(
            List<ScheduledExport> definitions,
            CompositeExport export,
            ExportRunTable runs,
            ScheduleClaims claims,
            HttpDelivery http,
            Path outbox,
            Path work,
            Clock clock) {
        this.definitions = List.copyOf(definitions);
        this.export = export;
        this.runs = runs;
        this.claims = claims;
        this.http = http;
        this.outbox = outbox.toAbsolutePath().normalize();
        this.work = work;
        this.clock = clock;
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

    /**
     * The scheduled run (called by the definition's Quartz route). With several engines on one
     * database only the engine that claims this fire runs it; the others return null.
     */
    public ExportRunTable.Run fire(String name) {
        ScheduledExport d = require(name);
        Instant now = clock.instant();
        Instant fireTime = lastFireBefore(d, now);
        if (fireTime != null && !claims.claim("export:" + d.name(), fireTime, now)) {
            LOG.info(
                    "scheduled export definition={} fire={} is run by another engine (or ran already)",
                    d.name(),
                    fireTime);
            return null;
        }
        retryUndelivered(d);
        return runWindow(d, d.content().window().at(now, d.zone()), RunTrigger.SCHEDULE);
    }

    /**
     * Runs on request: the current window, the window of {@code date}, or every window from the one
     * holding {@code start} to the one holding {@code end} (a backfill).
     */
    public List<ExportRunTable.Run> runNow(String name, String date, String start, String end) {
        ScheduledExport d = require(name);
        List<ExportWindow.Range> windows = new ArrayList<>();
        try {
            if (date != null && !date.isBlank()) {
                windows.add(d.content().window().forDate(LocalDate.parse(date.trim()), d.zone()));
            } else if (start != null && !start.isBlank()) {
                LocalDate from = LocalDate.parse(start.trim());
                LocalDate to = end == null || end.isBlank() ? from : LocalDate.parse(end.trim());
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
            done.add(runWindow(d, w, windows.size() > 1 ? RunTrigger.BACKFILL : RunTrigger.MANUAL));
        }
        return done;
    }

    /**
     * After downtime: for each enabled definition, the window of its latest fire time before now
     * is exported once if no run has covered it (no storm of catch-up runs).
     */
    public void catchUp() {
        for (ScheduledExport d : definitions) {
            if (!d.enabled()) {
                continue;
            }
            Instant lastFire = lastFireBefore(d, clock.instant());
            if (lastFire == null) {
                continue;
            }
            ExportWindow.Range w = d.content().window().at(lastFire, d.zone());
            if (!runs.exported(d.name(), w.start()) && claims.claim("export:" + d.name(), lastFire, clock.instant())) {
                LOG.info("scheduled export catching up definition={} window={}", d.name(), w.start());
                runWindow(d, w, RunTrigger.CATCH_UP);
            }
        }
    }

    private ExportRunTable.Run runWindow(ScheduledExport d, ExportWindow.Range w, RunTrigger trigger) {
        // one run of a definition at a time (schedule, catch-up and API calls may meet)
        synchronized (locks.computeIfAbsent(d.name(), k -> new Object())) {
            return runWindowAlone(d, w, trigger);
        }
    }

    private ExportRunTable.Run runWindowAlone(ScheduledExport d, ExportWindow.Range w, RunTrigger trigger) {
        runs.start(d.name(), w.start(), w.endExclusive(), trigger, Instant.now());
        ExportRequest request = new ExportRequest(
                d.content().meters(),
                w.start(),
                w.endInclusive(),
                d.content().resolution(),
                d.content().aggregation(),
                d.zone(),
                d.content().baseName());
        String fileName = fileName(d, request);
        try {
            Path dir = work.resolve(d.name());
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName);
            Path tmp = dir.resolve("." + fileName + ".tmp");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            CompositeExport.Result result;
            try (OutputStream os = new DigestOutputStream(Files.newOutputStream(tmp), sha);
                    Writer out =
                            new OutputStreamWriter(new BufferedOutputStream(os, 1 << 16), StandardCharsets.UTF_8)) {
                result = export.write(request, out, rows -> {});
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            runs.written(d.name(), w.start(), result.rows(), fileName, file.toString());
            Map<String, Object> manifest =
                    manifest(d, request, w, result, fileName, HexFormat.of().formatHex(sha.digest()));
            boolean ok = true;
            if (d.destinations().folder() != null) {
                publish(d, w, file, fileName, manifest);
                runs.folder(d.name(), w.start(), DeliveryStatus.DELIVERED);
            }
            if (d.destinations().http() != null) {
                ok = deliver(d, w.start(), file, fileName);
            } else {
                Files.deleteIfExists(file);
            }
            runs.finish(d.name(), w.start(), ok ? RunStatus.COMPLETED : RunStatus.PARTIAL, null, Instant.now());
            LOG.info(
                    "scheduled export {} definition={} window={} rows={} file={}",
                    ok ? "completed" : "partial",
                    d.name(),
                    IsoTimes.format(w.start(), d.zone()),
                    result.rows(),
                    fileName);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            LOG.warn("scheduled export failed definition={} window={}: {}", d.name(), w.start(), e.toString());
            runs.finish(d.name(), w.start(), RunStatus.FAILED, e.toString(), Instant.now());
        }
        return runs.runs(d.name(), MAX_BACKFILL_WINDOWS).stream()
                .filter(r -> r.windowStart().equals(w.start()))
                .findFirst()
                .orElseThrow();
    }

    private boolean deliver(ScheduledExport d, Instant windowStart, Path file, String fileName) throws IOException {
        HttpDelivery.Outcome outcome = http.deliver(d.destinations().http(), file, fileName);
        runs.http(
                d.name(),
                windowStart,
                outcome.delivered() ? DeliveryStatus.DELIVERED : DeliveryStatus.FAILED,
                outcome.attempts(),
                outcome.error());
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
            try {
                ExportRunTable.Output out = r.output();
                if (out.filePath() == null || !Files.exists(Path.of(out.filePath()))) {
                    runs.http(
                            d.name(),
                            r.windowStart(),
                            DeliveryStatus.FAILED,
                            0,
                            "the file to deliver is gone; re-run the window");
                    continue;
                }
                if (deliver(d, r.windowStart(), Path.of(out.filePath()), out.fileName())) {
                    runs.finish(d.name(), r.windowStart(), RunStatus.COMPLETED, null, Instant.now());
                    LOG.info("scheduled export delivered late definition={} file={}", d.name(), out.fileName());
                }
            } catch (IOException e) {
                LOG.warn(
                        "cannot retry delivery definition={} file={}: {}",
                        d.name(),
                        r.output().fileName(),
                        e.toString());
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
        Path tmp = dir.resolve("." + fileName + ".tmp");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path manifestTmp = dir.resolve("." + fileName + ".json.tmp");
        json.writeValue(manifestTmp.toFile(), manifest);
        Files.move(
                manifestTmp,
                dir.resolve(fileName + ".json"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
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
