package io.meterflow.export;

import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.ResampleColumn;
import io.meterflow.series.Resampler;
import io.meterflow.series.Resolution;
import io.meterflow.series.Rollup;
import io.meterflow.series.SignalKind;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a composite CSV: header {@code timestamp,<signal>...} (signals prefixed by the meter's
 * serial when several meters share the file), one row per bin of the requested range, timestamps
 * ISO 8601 with offset. Streams from the store an hour at a time, so memory stays bounded
 * whatever the range.
 */
public final class CompositeExport {

    /** Rows are gathered into text of about this many characters, then written at once. */
    private static final int CHUNK = 1 << 15;

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyMMdd.HHmm");

    /** What an export wrote; {@code binsWithData[m]}: bins where meter {@code m} has any value. */
    public record Result(long rows, long cappedDeltas, long[] binsWithData) {}

    private final SampleStore store;
    private final SeriesCatalog catalog;

    public CompositeExport(SampleStore store, SeriesCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** The seed's file name: {@code {base}{resolution}RES_{rows}CLP_{yyMMdd.HHmm}-{yyMMdd.HHmm}.csv}. */
    public static String fileName(ExportRequest r) {
        return r.baseName() + r.resolution().key() + "RES_" + r.rowCount() + "CLP_"
                + OffsetDateTime.ofInstant(r.start(), r.zone()).format(NAME_TIME) + "-"
                + OffsetDateTime.ofInstant(r.end(), r.zone()).format(NAME_TIME) + ".csv";
    }

    /** Writes the CSV to {@code out} in UTF-8; {@code progress} receives the rows written so far, now and then. */
    public Result write(ExportRequest request, OutputStream out, LongConsumer progress) throws IOException {
        long retainedFrom = store.rawRetainedFromMillis();
        if (request.resolution() == Resolution.SEC_1 && request.start().toEpochMilli() < retainedFrom) {
            throw ExportException.invalid(
                    "RAW_DATA_EXPIRED",
                    "1sec needs raw samples, kept from " + Instant.ofEpochMilli(retainedFrom)
                            + " on (meterflow.store.raw-retention-days); ask for 1min or coarser");
        }
        List<Long> seriesIds = new ArrayList<>();
        List<Double> limits = new ArrayList<>();
        List<ResampleColumn> columns = new ArrayList<>();
        List<Integer> columnMeter = new ArrayList<>();
        boolean prefix = request.meters().size() > 1;
        for (int mi = 0; mi < request.meters().size(); mi++) {
            Meter meter = request.meters().get(mi);
            for (SeriesCatalog.SeriesInfo s : catalog.list(meter.id())) {
                int index = seriesIds.size();
                seriesIds.add(s.id());
                limits.add(meter.maxKw() / 3600.0);
                String header = (prefix ? meter.serial() : "") + s.signal();
                Aggregation aggregation = request.aggregation().forKind(s.kind());
                columns.add(new ResampleColumn(header, index, aggregation, false));
                columnMeter.add(mi);
                if (request.aggregation() == Aggregation.AUTO && s.kind() == SignalKind.COUNTER) {
                    columns.add(new ResampleColumn(header + "_delta", index, aggregation, true));
                    columnMeter.add(mi);
                }
            }
        }
        CsvBytes text = new CsvBytes(CHUNK + 1024).append("timestamp");
        for (ResampleColumn c : columns) {
            text.append(',').append(quote(c.header()));
        }
        text.append('\n');

        long[] ids = seriesIds.stream().mapToLong(Long::longValue).toArray();
        double[] counterLimits =
                limits.stream().mapToDouble(Double::doubleValue).toArray();
        int[] meterOfColumn = columnMeter.stream().mapToInt(Integer::intValue).toArray();
        long[] binsWithData = new long[request.meters().size()];
        boolean[] covered = new boolean[request.meters().size()];
        IsoTimeWriter times = new IsoTimeWriter(request.zone());
        Resampler resampler = new Resampler(
                columns.toArray(new ResampleColumn[0]),
                ids.length,
                counterLimits,
                request.resolution(),
                request.zone(),
                request.firstBin(),
                request.endExclusive(),
                (bin, values) -> {
                    times.append(text, bin);
                    Arrays.fill(covered, false);
                    for (int i = 0; i < values.length; i++) {
                        text.append(',');
                        CsvNumbers.append(text, values[i]);
                        covered[meterOfColumn[i]] |= values[i] == values[i];
                    }
                    for (int m = 0; m < covered.length; m++) {
                        binsWithData[m] += covered[m] ? 1 : 0;
                    }
                    text.append('\n');
                    if (text.length() >= CHUNK) {
                        drain(text, out);
                    }
                });
        boolean perSecond = request.resolution() == Resolution.SEC_1;
        int slotSeconds = perSecond ? 1 : 60;
        int slotsPerHour = 3600 / slotSeconds;
        long firstHour = Math.floorDiv(request.firstBin().getEpochSecond(), 3600) * 3600 - 3600;
        long endHour = Math.floorDiv(request.endExclusive().getEpochSecond() + 3599, 3600) * 3600;
        Rollup[] column = new Rollup[ids.length];
        try {
            store.forEachHour(ids, firstHour, endHour, perSecond, (hour, slots) -> {
                for (int slot = 0; slot < slotsPerHour; slot++) {
                    boolean any = false;
                    for (int s = 0; s < ids.length; s++) {
                        column[s] = slots[s] == null ? null : slots[s][slot];
                        any |= column[s] != null;
                    }
                    if (any) {
                        resampler.slot(hour + (long) slot * slotSeconds, slotSeconds, column);
                    }
                }
                progress.accept(resampler.rowsEmitted());
            });
            resampler.finish();
            drain(text, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        return new Result(resampler.rowsEmitted(), resampler.cappedDeltas(), binsWithData);
    }

    /** Writes the rows gathered in {@code lines} to {@code out}, and empties it. */
    private static void drain(CsvBytes lines, OutputStream out) {
        try {
            lines.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String header) {
        if (header.indexOf(',') < 0 && header.indexOf('"') < 0) {
            return header;
        }
        return '"' + header.replace("\"", "\"\"") + '"';
    }
}
