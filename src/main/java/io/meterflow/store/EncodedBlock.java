package io.meterflow.store;

import io.meterflow.series.Rollup;

/**
 * One series-hour of samples as the store keeps it: the samples encoded by {@link BlockCodec},
 * its minute rollups and the hour's own rollup. Built by the writers' threads (encoding is the
 * costly part of a write), stored by a {@link WriteSession}.
 *
 * @param hourStart the UTC hour, in epoch seconds
 * @param count the number of samples
 * @param hour the rollup of the whole hour
 */
public record EncodedBlock(
        long seriesId,
        long hourStart,
        int count,
        long firstMillis,
        long lastMillis,
        Rollup hour,
        byte[] samples,
        byte[] minutes) {

    /** Encodes {@code n} sorted, duplicate-free samples of the hour starting at {@code hourStart}. */
    public static EncodedBlock encode(long seriesId, long hourStart, long[] millis, double[] values, int n) {
        long base = hourStart * 1000;
        int scale = BlockCodec.scaleOf(values, n);
        Rollup[] minutes = BlockCodec.minuteRollups(base, millis, values, n);
        Rollup hour = null;
        for (Rollup m : minutes) {
            if (m != null) {
                hour = hour == null ? m : hour.then(m);
            }
        }
        return new EncodedBlock(
                seriesId,
                hourStart,
                n,
                millis[0],
                millis[n - 1],
                hour,
                BlockCodec.encodeSamples(base, millis, values, n, scale),
                BlockCodec.storedMinutes(minutes, scale));
    }

    /** The samples, decoded. */
    public BlockCodec.Samples decode() {
        return BlockCodec.decodeSamples(hourStart * 1000, samples);
    }

    /** This block's samples merged with {@code newer}'s; the newer value wins at equal timestamps. */
    public EncodedBlock mergedWith(EncodedBlock newer) {
        return merge(decode(), newer);
    }

    /** {@code older} samples merged with {@code newer}'s; the newer value wins at equal timestamps. */
    static EncodedBlock merge(BlockCodec.Samples older, EncodedBlock newer) {
        BlockCodec.Samples b = newer.decode();
        int na = older.count();
        int nb = b.count();
        long[] millis = new long[na + nb];
        double[] values = new double[na + nb];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < na || j < nb) {
            if (j >= nb || (i < na && older.millis()[i] < b.millis()[j])) {
                millis[n] = older.millis()[i];
                values[n++] = older.values()[i++];
            } else {
                if (i < na && older.millis()[i] == b.millis()[j]) {
                    i++;
                }
                millis[n] = b.millis()[j];
                values[n++] = b.values()[j++];
            }
        }
        return encode(newer.seriesId(), newer.hourStart(), millis, values, n);
    }
}
