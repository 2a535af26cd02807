package io.meterflow.app;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of long work (an import, a backfill): on a terminal a bar redrawn in place with the
 * done count, the rate and the time left; otherwise (a pipe, a log file) a plain line every few
 * seconds, {@code import files=312/744 rows=748800 rows/s=41600 elapsed=18.0s eta=25s}.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final String what;
    private final String unit;
    private final long total;
    private final String rateUnit;
    private final LongSupplier rateCount;
    private final boolean terminal;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private long lastPrinted;

    /**
     * @param what the command, starting each line
     * @param unit what is counted against {@code total} (files, windows)
     * @param rateUnit what the rate counts (rows, files)
     * @param rateCount its count so far
     */
    Progress(
            String what,
            String unit,
            long total,
            String rateUnit,
            LongSupplier rateCount,
            boolean terminal,
            PrintStream out) {
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.rateUnit = rateUnit;
        this.rateCount = rateCount;
        this.terminal = terminal;
        this.out = out;
    }

    /** Whether standard output is a terminal (then the bar is drawn). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    void advance() {
        done.incrementAndGet();
    }

    long done() {
        return done.get();
    }

    /** Prints the state if it is time: every 0.2 s on a terminal, every 2 s otherwise. */
    synchronized void tick() {
        long now = System.nanoTime();
        if (now - lastPrinted >= (terminal ? 200_000_000L : 2_000_000_000L)) {
            lastPrinted = now;
            print(false);
        }
    }

    /** The last state, on a line of its own. */
    synchronized void finish() {
        print(true);
    }

    private void print(boolean last) {
        if (terminal) {
            out.print("\r" + bar() + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line());
        }
        out.flush();
    }

    private double seconds() {
        return Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    }

    /** Seconds left at the rate so far; -1 before anything is done. */
    long etaSeconds() {
        long d = done.get();
        if (d == 0) {
            return -1;
        }
        return Math.round(seconds() * (total - d) / d);
    }

    String line() {
        long eta = etaSeconds();
        return String.format(
                Locale.ROOT,
                "%s %s=%d/%d %s=%d %s/s=%.0f elapsed=%.1fs eta=%s",
                what,
                unit,
                done.get(),
                total,
                rateUnit,
                rateCount.getAsLong(),
                rateUnit,
                rateCount.getAsLong() / seconds(),
                seconds(),
                eta < 0 ? "?" : eta + "s");
    }

    String bar() {
        long d = done.get();
        double share = total == 0 ? 1 : Math.min(1, (double) d / total);
        int filled = (int) Math.round(share * WIDTH);
        StringBuilder b = new StringBuilder(what).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        long eta = etaSeconds();
        return b.append(String.format(
                        Locale.ROOT,
                        "] %3.0f%% %d/%d %s  %s %s/s  ETA %s ",
                        share * 100,
                        d,
                        total,
                        unit,
                        human(rateCount.getAsLong() / seconds()),
                        rateUnit,
                        eta < 0 ? "--:--" : clock(eta)))
                .toString();
    }

    private static String human(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
