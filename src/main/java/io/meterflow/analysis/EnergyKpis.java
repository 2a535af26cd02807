package io.meterflow.analysis;

import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.ResampleColumn;
import io.meterflow.series.Resampler;
import io.meterflow.series.Resolution;
import io.meterflow.series.Rollup;
import io.meterflow.store.SampleStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The energy figures of a meter over whole local days: per day the import and export energy from
 * its cumulative counters (reset-safe deltas, as in exports: {@link io.meterflow.series.CounterDeltas}
 * through the {@link Resampler}), the peak and mean of its active power; for the range the totals,
 * the peak with the minute it happened in, the mean power and the load factor (mean / peak).
 * Counters are read as kWh, power as kW. Reads the stored minute rollups an hour at a time, the
 * hour before the range too (the counters' baseline).
 */
public final class EnergyKpis {

    /** The series to read (each null when the meter has none): import and export counters, active power. */
    public record Signals(Long importCounter, Long exportCounter, Long power) {}

    /** One local day; a figure is null where its signal has no data that day. */
    public record Day(LocalDate date, Double importKwh, Double exportKwh, Double peakKw, Double meanKw) {}

    /**
     * The figures of the range {@code start} (inclusive) to {@code endExclusive}, whole local days;
     * a figure is null where its signal has no data in the range.
     */
    public record Kpis(
            Instant start,
            Instant endExclusive,
            List<Day> days,
            Double importKwh,
            Double exportKwh,
            Double peakKw,
            Instant peakAt,
            Double meanKw,
            Double loadFactor,
            long cappedDeltas) {}

    private final SampleStore store;

    public EnergyKpis(SampleStore store) {
        this.store = store;
    }

    /** The figures of the local days holding {@code from} to {@code toInclusive}, in the meter's zone. */
    public Kpis compute(Meter meter, Signals signals, Instant from, Instant toInclusive) {
        Resolution day = Resolution.DAY_1;
        Instant firstBin = day.floor(from, meter.zone());
        Instant endExclusive = day.next(day.floor(toInclusive, meter.zone()), meter.zone());

        List<Long> ids = new ArrayList<>();
        List<ResampleColumn> columns = new ArrayList<>();
        int importColumn = column(columns, ids, signals.importCounter(), Aggregation.LAST, true);
        int exportColumn = column(columns, ids, signals.exportCounter(), Aggregation.LAST, true);
        int meanColumn = column(columns, ids, signals.power(), Aggregation.MEAN, false);
        int peakColumn = column(columns, ids, signals.power(), Aggregation.MAX, false);
        int powerSeries = signals.power() == null ? -1 : ids.indexOf(signals.power());

        long[] seriesIds = ids.stream().mapToLong(Long::longValue).toArray();
        double[] limits = new double[seriesIds.length];
        Arrays.fill(limits, meter.maxKw() / 3600.0);
        List<Day> days = new ArrayList<>();
        Resampler resampler = new Resampler(
                columns.toArray(new ResampleColumn[0]),
                seriesIds.length,
                limits,
                day,
                meter.zone(),
                firstBin,
                endExclusive,
                (bin, values) -> days.add(new Day(
                        bin.atZone(meter.zone()).toLocalDate(),
                        value(values, importColumn),
                        value(values, exportColumn),
                        value(values, peakColumn),
                        value(values, meanColumn))));

        Power power = new Power();
        long firstSecond = firstBin.getEpochSecond();
        long endSecond = endExclusive.getEpochSecond();
        Rollup[] minute = new Rollup[seriesIds.length];
        long fromHour = Math.floorDiv(firstSecond, 3600) * 3600 - 3600;
        long toHour = Math.floorDiv(endSecond + 3599, 3600) * 3600;
        store.forEachHour(seriesIds, fromHour, toHour, false, (hour, slots) -> {
            for (int m = 0; m < 60; m++) {
                boolean any = false;
                for (int s = 0; s < seriesIds.length; s++) {
                    minute[s] = slots[s] == null ? null : slots[s][m];
                    any |= minute[s] != null;
                }
                if (!any) {
                    continue;
                }
                long t = hour + m * 60L;
                resampler.slot(t, 60, minute);
                if (powerSeries >= 0 && minute[powerSeries] != null && t >= firstSecond && t < endSecond) {
                    power.add(t, minute[powerSeries]);
                }
            }
        });
        resampler.finish();

        Double peak = power.count == 0 ? null : power.peak;
        Double mean = power.count == 0 ? null : power.sum / power.count;
        return new Kpis(
                firstBin,
                endExclusive,
                days,
                total(days, true),
                total(days, false),
                peak,
                power.count == 0 ? null : Instant.ofEpochSecond(power.peakAt),
                mean,
                peak == null || peak <= 0 ? null : mean / peak,
                resampler.cappedDeltas());
    }

    /** Adds a column reading {@code series} (registering it once); its index, or -1 without a series. */
    private static int column(
            List<ResampleColumn> columns, List<Long> ids, Long series, Aggregation aggregation, boolean delta) {
        if (series == null) {
            return -1;
        }
        int index = ids.indexOf(series);
        if (index < 0) {
            index = ids.size();
            ids.add(series);
        }
        columns.add(new ResampleColumn(Integer.toString(columns.size()), index, aggregation, delta));
        return columns.size() - 1;
    }

    private static Double value(double[] values, int column) {
        return column < 0 || Double.isNaN(values[column]) ? null : values[column];
    }

    private static Double total(List<Day> days, boolean imported) {
        Double sum = null;
        for (Day d : days) {
            Double v = imported ? d.importKwh() : d.exportKwh();
            if (v != null) {
                sum = (sum == null ? 0 : sum) + v;
            }
        }
        // sums of decimal readings: drop the binary noise below a nano-kWh, as the daily deltas do
        return sum == null ? null : Math.round(sum * 1e9) / 1e9;
    }

    /** The power of the range so far: exact sum and count of the samples, the highest and its minute. */
    private static final class Power {
        double sum;
        long count;
        double peak = Double.NEGATIVE_INFINITY;
        long peakAt;

        void add(long minuteStart, Rollup r) {
            sum += r.sum();
            count += r.count();
            if (r.max() > peak) {
                peak = r.max();
                peakAt = minuteStart;
            }
        }
    }
}
