package io.meterflow.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Meter files whose figures are known by hand, for the console's endpoint and browser tests. All
 * minute data, local time America/New_York (the zone of both meters in config/meters.yaml).
 *
 * <p>Meter {@value #A} (AN53111387-E-, Air Chiller): {@code com_ap} 20 kW, except 80 kW in the
 * minute 14:37 of every day and {@value #PEAK_KW} kW at 14:37 on {@link #PEAK_DAY}; {@code pf}
 * 0.9; {@code pos_ae} rises 0.25 kWh a minute (360 kWh a day), but on {@link #RESET_DAY} the
 * counter is reset at 12:00 (it reads 0.25 then: 359.75 kWh that day, energy counted from the
 * lowest reading after the reset); {@code neg_ae} rises 0.1 kWh a minute from 10:00 to 13:59
 * (24 kWh a day). On {@link #GAP_DAY} the hours 03:00 to 05:59 are missing (the counters kept
 * counting: still 360 kWh that day). One file per month (or per day for short ranges).
 *
 * <p>Meter {@value #B} (AN54021613-C-, Main): {@code com_ap} 10 kW, {@code pf} 0.8, {@code pos_ae}
 * rising 0.1 kWh a minute (144 kWh a day), {@code neg_ae} constant (0 kWh a day).
 */
final class ConsoleData {

    static final String A = "ecc38a217ccc";
    static final String B = "307a57001e28";
    /** The meter (AN53110845-F-, Fillet) whose folder receives the file the inbox rejects. */
    static final String C = "ecc38a2175a6";

    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final LocalDate PEAK_DAY = LocalDate.of(2024, 12, 18);
    static final LocalDate RESET_DAY = LocalDate.of(2024, 12, 19);
    static final LocalDate GAP_DAY = LocalDate.of(2024, 12, 20);
    static final double PEAK_KW = 95.5;
    static final String HEADER = "timestamp,com_ap,pf,pos_ae,neg_ae\n";

    /**
     * Two daily export definitions that never fire by themselves (their runs are started by the
     * tests): {@code chiller-daily} publishes, {@code chiller-blocked} cannot, for a file stands
     * where its outbox folder should be.
     */
    static void exportDefinitions(Path root) throws IOException {
        Files.writeString(root.resolve("outbox/blocked"), "in the way\n");
        Files.writeString(
                root.resolve("exports.yaml"),
                """
                exports:
                  - name: chiller-daily
                    cron: "0 0 3 1 1 ? 2099"
                    timezone: America/New_York
                    meters: [ecc38a217ccc]
                    resolution: 1hr
                    window: previous-day
                    destinations:
                      folder: "chiller/"
                  - name: chiller-blocked
                    cron: "0 0 3 1 1 ? 2099"
                    timezone: America/New_York
                    meters: [ecc38a217ccc]
                    resolution: 1hr
                    window: previous-day
                    destinations:
                      folder: "blocked/{yyyy}/"
                """);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private ConsoleData() {}

    /** Meter A's minutes from {@code first} to {@code last} (inclusive), one file per day or per month. */
    static void meterA(Path inbox, LocalDate first, LocalDate last, boolean perMonth) throws IOException {
        double posAe = 1000;
        double negAeTenths = 5000; // neg_ae in tenths of a kWh: exact sums, printed with one decimal
        BufferedWriter out = null;
        Path tmp = null;
        Path target = null;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (out == null || (perMonth ? d.getDayOfMonth() == 1 : true)) {
                close(out, tmp, target);
                String name = perMonth ? d.toString().substring(0, 7) : d.toString();
                target = inbox.resolve(A).resolve("chiller-" + name + ".csv");
                tmp = inbox.resolve(".staging-" + A + "-" + name);
                Files.createDirectories(target.getParent());
                out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                out.write(HEADER);
            }
            ZonedDateTime start = d.atStartOfDay(ZONE);
            long minutes = ChronoUnit.MINUTES.between(start, d.plusDays(1).atStartOfDay(ZONE));
            StringBuilder row = new StringBuilder(64);
            for (long m = 0; m < minutes; m++) {
                ZonedDateTime t = start.plusMinutes(m);
                LocalDateTime local = t.toLocalDateTime();
                int hour = local.getHour();
                boolean resetNow = d.equals(RESET_DAY) && hour == 12 && local.getMinute() == 0;
                posAe = resetNow ? 0.25 : posAe + 0.25;
                if (hour >= 10 && hour < 14) {
                    negAeTenths += 1;
                }
                if (d.equals(GAP_DAY) && hour >= 3 && hour < 6) {
                    continue; // the meter counted on, but these rows never arrived
                }
                double kw = hour == 14 && local.getMinute() == 37 ? (d.equals(PEAK_DAY) ? PEAK_KW : 80) : 20;
                row.setLength(0);
                row.append(t.format(TIME))
                        .append(',')
                        .append(kw)
                        .append(",0.9,")
                        .append(posAe)
                        .append(',')
                        .append((long) negAeTenths / 10)
                        .append('.')
                        .append((long) negAeTenths % 10)
                        .append('\n');
                out.write(row.toString());
            }
        }
        close(out, tmp, target);
    }

    /** Meter B's minutes from {@code first} to {@code last} (inclusive), one file. */
    static void meterB(Path inbox, LocalDate first, LocalDate last) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        long tenths = 20_000;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            ZonedDateTime start = d.atStartOfDay(ZONE);
            long minutes = ChronoUnit.MINUTES.between(start, d.plusDays(1).atStartOfDay(ZONE));
            for (long m = 0; m < minutes; m++) {
                tenths++;
                csv.append(start.plusMinutes(m).format(TIME))
                        .append(",10.0,0.8,")
                        .append(tenths / 10)
                        .append('.')
                        .append(tenths % 10)
                        .append(",300.0\n");
            }
        }
        write(inbox.resolve(B).resolve("main-" + first + ".csv"), csv.toString());
    }

    /** A file the inbox rejects, for meter {@value #C}: a header and no rows. */
    static Path rejected(Path inbox) throws IOException {
        Path file = inbox.resolve(C).resolve("fillet-broken.csv");
        write(file, HEADER);
        return file;
    }

    /** Writes a file elsewhere, then moves it into place whole. */
    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void close(BufferedWriter out, Path tmp, Path target) throws IOException {
        if (out != null) {
            out.close();
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
