package io.meterflow.app;

import io.meterflow.series.MeterId;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code generate <dir> [--meter ID] [--serial S] [--start yyyy-MM-dd] [--days N] [--step SECONDS]
 * [--zone ZONE]}: writes a deterministic, realistic meter data set, one Unity-named CSV per hour
 * ({@code AN53111387-E-2025-01-01T00-00-00-0500-1sec.csv}) with the columns
 * {@code timestamp,com_ap,pf,u_a,i_a,pos_ae,neg_ae,com_ae,freq}: a daily load shape with noise and
 * energy counters rising from 2000-01-01, the meter's installation (so they are positive and
 * continue from file to file whatever the start). Files appear atomically (written, then renamed),
 * so the target may be a watched inbox folder.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Writes a realistic data set of one meter into DIR/<meter>/, one CSV per hour.",
        footer = {"", "Exit codes: 0 written, 1 the files could not be written, 2 bad command line."})
final class GenerateCommand implements Callable<Integer> {

    static final String HEADER = "timestamp,com_ap,pf,u_a,i_a,pos_ae,neg_ae,com_ae,freq\n";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ssxx");
    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** The counters' origin: the hour 2000-01-01T00:00Z, since the epoch. */
    private static final long INSTALLED_HOUR = 262_968;

    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    @Mixin
    LaunchOptions launch;

    @Parameters(index = "0", paramLabel = "DIR", description = "where to write (the files go to DIR/<meter>/)")
    Path dir;

    @Option(names = "--meter", paramLabel = "ID", description = "meter id, the folder name (default: ${DEFAULT-VALUE})")
    String meter = "ecc38a217ccc";

    @Option(
            names = "--serial",
            paramLabel = "S",
            description = "serial, the start of each file name (default: ${DEFAULT-VALUE})")
    String serial = "AN53111387-E-";

    @Option(
            names = "--start",
            paramLabel = "yyyy-MM-dd",
            description = "first day, 2000-01-01 or later (default: ${DEFAULT-VALUE})")
    LocalDate start = LocalDate.of(2025, 1, 1);

    @Option(names = "--days", paramLabel = "N", description = "days to write (default: ${DEFAULT-VALUE})")
    int days = 1;

    @Option(
            names = "--step",
            paramLabel = "SECONDS",
            description = "seconds between rows, a divisor of 3600 (default: ${DEFAULT-VALUE})")
    int step = 1;

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            description = "IANA timezone of the rows (default: ${DEFAULT-VALUE})")
    ZoneId zone = ZoneId.of("America/New_York");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String problem = MeterId.problem(meter);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--meter: " + problem);
        }
        if (start.isBefore(EARLIEST)) {
            throw new ParameterException(spec.commandLine(), "--start must be " + EARLIEST + " or later");
        }
        if (days < 1 || step < 1 || 3600 % step != 0) {
            throw new ParameterException(spec.commandLine(), "--days must be at least 1 and --step divide 3600");
        }
        long t0 = System.nanoTime();
        try {
            Stats stats =
                    write(dir.resolve(meter), serial, start.atStartOfDay(zone).toInstant(), days * 24, step, zone);
            System.out.printf(
                    "generated files=%d rows=%d bytes=%d seconds=%.1f dir=%s%n",
                    stats.files, stats.rows, stats.bytes, (System.nanoTime() - t0) / 1e9, dir.resolve(meter));
            return ExitCodes.OK;
        } catch (UncheckedIOException e) {
            return StartupFailure.report("generate", e.getCause(), System.err);
        }
    }

    record Stats(long files, long rows, long bytes) {}

    /** Writes {@code hours} hourly files starting at {@code start}; deterministic for the same arguments. */
    static Stats write(Path dir, String serial, Instant start, int hours, int stepSeconds, ZoneId zone) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ZoneOffset shapeOffset = shapeOffset(zone);
        double[][] energy = hourEnergy(stepSeconds, shapeOffset);
        long[] bytes = IntStream.range(0, hours)
                .parallel()
                .mapToLong(h ->
                        writeHour(dir, serial, start.plusSeconds(h * 3600L), stepSeconds, zone, shapeOffset, energy))
                .toArray();
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        return new Stats(hours, (long) hours * (3600 / stepSeconds), total);
    }

    /**
     * The load follows the clock of the zone's standard time (no DST jump), so the energy of an hour
     * depends only on its hour of the day: it repeats every day since the installation.
     */
    private static ZoneOffset shapeOffset(ZoneId zone) {
        return zone.getRules().getStandardOffset(Instant.ofEpochSecond(INSTALLED_HOUR * 3600));
    }

    /** The daily load shape, 0 at night to 1 at the afternoon peak. */
    private static double shape(Instant t, ZoneOffset offset) {
        double dayFraction = t.atOffset(offset).toLocalTime().toSecondOfDay() / 86_400.0;
        return 0.5 - 0.5 * Math.cos(2 * Math.PI * (dayFraction - 0.08));
    }

    /** The counters' rise per second of load (kWh): imported from the noiseless load, exported at the peak. */
    private static double importStep(double shape, int stepSeconds) {
        return (120 + 180 * shape) * stepSeconds / 3600.0;
    }

    private static double exportStep(double shape, int stepSeconds) {
        return shape > 0.85 ? 0.0005 * stepSeconds : 0;
    }

    /** The energy of each UTC hour of the day: {@code [0][h]} imported, {@code [1][h]} exported. */
    private static double[][] hourEnergy(int stepSeconds, ZoneOffset offset) {
        double[][] e = new double[2][24];
        for (int h = 0; h < 24; h++) {
            for (int s = 0; s < 3600; s += stepSeconds) {
                double shape = shape(Instant.ofEpochSecond(h * 3600L + s), offset);
                e[0][h] += importStep(shape, stepSeconds);
                e[1][h] += exportStep(shape, stepSeconds);
            }
        }
        return e;
    }

    /** A counter at the start of {@code epochHour}: everything since the installation. */
    private static double counterAt(long epochHour, double[] perHour, double initial) {
        long hours = epochHour - INSTALLED_HOUR;
        double day = 0;
        for (double v : perHour) {
            day += v;
        }
        double value = initial + (hours / 24) * day;
        for (long k = INSTALLED_HOUR + hours / 24 * 24; k < epochHour; k++) {
            value += perHour[(int) Math.floorMod(k, 24)];
        }
        return value;
    }

    private static long writeHour(
            Path dir,
            String serial,
            Instant hourStart,
            int stepSeconds,
            ZoneId zone,
            ZoneOffset shapeOffset,
            double[][] energy) {
        ZoneOffset offset = zone.getRules().getOffset(hourStart);
        String name =
                serial + OffsetDateTime.ofInstant(hourStart, offset).format(NAME_TIME) + "-" + stepSeconds + "sec.csv";
        Path tmp = dir.resolve("." + name + ".tmp");
        long epochHour = hourStart.getEpochSecond() / 3600;
        SplittableRandom random = new SplittableRandom(epochHour * 1_000_003L);
        // counters continue exactly from the hour before: all the (noiseless) energy since the installation
        double posAe = counterAt(epochHour, energy[0], 100_000);
        double negAe = counterAt(epochHour, energy[1], 2_000);
        StringBuilder row = new StringBuilder(128);
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(HEADER);
            for (int s = 0; s < 3600; s += stepSeconds) {
                Instant t = hourStart.plusSeconds(s);
                double shape = shape(t, shapeOffset);
                double comAp = 120 + 180 * shape + random.nextGaussian() * 4;
                double pf = Math.min(0.999, 0.90 + 0.06 * shape + random.nextGaussian() * 0.004);
                double ua = 277 + random.nextGaussian() * 1.2;
                double ia = comAp * 1000 / (3 * ua * pf);
                posAe += importStep(shape, stepSeconds);
                negAe += exportStep(shape, stepSeconds);
                double freq = 60 + random.nextGaussian() * 0.01;
                row.setLength(0);
                row.append(OffsetDateTime.ofInstant(t, offset).format(ROW_TIME)).append(',');
                fixed(row, comAp, 2).append(',');
                fixed(row, pf, 3).append(',');
                fixed(row, ua, 2).append(',');
                fixed(row, ia, 2).append(',');
                fixed(row, posAe, 3).append(',');
                fixed(row, negAe, 3).append(',');
                fixed(row, posAe - negAe, 3).append(',');
                fixed(row, freq, 3).append('\n');
                w.append(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path target = dir.resolve(name);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends {@code v} with exactly {@code decimals} fraction digits (fast; no Formatter). */
    static StringBuilder fixed(StringBuilder sb, double v, int decimals) {
        long scale = (long) Math.pow(10, decimals);
        long m = Math.round(v * scale);
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        sb.append(m / scale).append('.');
        String frac = Long.toString(m % scale);
        for (int i = frac.length(); i < decimals; i++) {
            sb.append('0');
        }
        return sb.append(frac);
    }
}
