package io.meterflow.app;

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
import java.util.stream.IntStream;

/**
 * {@code generate <dir> [--meter ID] [--serial S] [--start yyyy-MM-dd] [--days N] [--step SECONDS]
 * [--zone ZONE]}: writes a deterministic, realistic meter data set, one Unity-named CSV per hour
 * ({@code AN53111387-E-2025-01-01T00-00-00-0500-1sec.csv}) with the columns
 * {@code timestamp,com_ap,pf,u_a,i_a,pos_ae,neg_ae,com_ae,freq}: a daily load shape with noise and
 * monotonically rising energy counters. Files appear atomically (written, then renamed), so the
 * target may be a watched inbox folder.
 */
final class GenerateCommand {

    static final String HEADER = "timestamp,com_ap,pf,u_a,i_a,pos_ae,neg_ae,com_ae,freq\n";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ssxx");
    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private GenerateCommand() {}

    static int run(String[] args) {
        Path dir = null;
        String meter = "ecc38a217ccc";
        String serial = "AN53111387-E-";
        LocalDate start = LocalDate.of(2025, 1, 1);
        int days = 1;
        int step = 1;
        ZoneId zone = ZoneId.of("America/New_York");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--meter" -> meter = args[++i];
                case "--serial" -> serial = args[++i];
                case "--start" -> start = LocalDate.parse(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--step" -> step = Integer.parseInt(args[++i]);
                case "--zone" -> zone = ZoneId.of(args[++i]);
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null) {
            System.err.println("usage: java -jar meterflow.jar generate <dir> [--meter ID] [--serial S]"
                    + " [--start yyyy-MM-dd] [--days N] [--step SECONDS] [--zone ZONE]");
            return 2;
        }
        long t0 = System.nanoTime();
        Stats stats = write(dir.resolve(meter), serial, start.atStartOfDay(zone).toInstant(), days * 24, step, zone);
        System.out.printf(
                "generated files=%d rows=%d bytes=%d seconds=%.1f dir=%s%n",
                stats.files, stats.rows, stats.bytes, (System.nanoTime() - t0) / 1e9, dir.resolve(meter));
        return 0;
    }

    record Stats(long files, long rows, long bytes) {}

    /** Writes {@code hours} hourly files starting at {@code start}; deterministic for the same arguments. */
    static Stats write(Path dir, String serial, Instant start, int hours, int stepSeconds, ZoneId zone) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] bytes = IntStream.range(0, hours)
                .parallel()
                .mapToLong(h -> writeHour(dir, serial, start.plusSeconds(h * 3600L), stepSeconds, zone))
                .toArray();
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        return new Stats(hours, (long) hours * (3600 / stepSeconds), total);
    }

    private static long writeHour(Path dir, String serial, Instant hourStart, int stepSeconds, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(hourStart);
        String name =
                serial + OffsetDateTime.ofInstant(hourStart, offset).format(NAME_TIME) + "-" + stepSeconds + "sec.csv";
        Path tmp = dir.resolve("." + name + ".tmp");
        long epochHour = hourStart.getEpochSecond() / 3600;
        SplittableRandom random = new SplittableRandom(epochHour * 1_000_003L);
        // counters continue from the hour's start: energy before it is integrated from the mean load
        double hoursSinceEpoch = epochHour - 482_000;
        double posAe = 100_000 + hoursSinceEpoch * 210.0;
        double negAe = 2_000 + hoursSinceEpoch * 1.5;
        StringBuilder row = new StringBuilder(128);
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(HEADER);
            for (int s = 0; s < 3600; s += stepSeconds) {
                Instant t = hourStart.plusSeconds(s);
                double dayFraction = (t.atOffset(offset).toLocalTime().toSecondOfDay()) / 86_400.0;
                double shape = 0.5 - 0.5 * Math.cos(2 * Math.PI * (dayFraction - 0.08));
                double comAp = 120 + 180 * shape + random.nextGaussian() * 4;
                double pf = Math.min(0.999, 0.90 + 0.06 * shape + random.nextGaussian() * 0.004);
                double ua = 277 + random.nextGaussian() * 1.2;
                double ia = comAp * 1000 / (3 * ua * pf);
                double export = shape > 0.85 ? random.nextDouble() * 0.002 : 0;
                posAe += comAp * stepSeconds / 3600.0;
                negAe += export;
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
