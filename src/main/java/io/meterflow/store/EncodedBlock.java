package io.meterflow.store;

import io.meterflow.series.Rollup;
import java.util.List;

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

    /**
     * The samples of one series-hour stored before ({@code older}, null for none) and those of
     * {@code newer} blocks of the same series-hour, oldest first, as one block: at equal
     * timestamps the later value wins. The samples are merged decoded and encoded once, however
     * many blocks there are (frames of one hour committed together).
     */
    static EncodedBlock merge(BlockCodec.Samples older, List<EncodedBlock> newer) {
        EncodedBlock last = newer.get(newer.size() - 1);
        return of(last.seriesId(), last.hourStart(), merged(older, newer));
    }

    /** The samples of {@code older} (null for none) and of {@code newer} blocks, oldest first: at equal timestamps the later value. */
    static BlockCodec.Samples merged(BlockCodec.Samples older, List<EncodedBlock> newer) {
        BlockCodec.Samples merged = older;
        for (EncodedBlock b : newer) {
            merged = merged == null ? b.decode() : merge(merged, b.decode());
        }
        return merged;
    }

    /** Decoded samples of one series-hour, encoded. */
    static EncodedBlock of(long seriesId, long hourStart, BlockCodec.Samples s) {
        return encode(seriesId, hourStart, s.millis(), s.values(), s.count());
    }

    /** Two sorted, duplicate-free runs of samples as one; {@code b}'s value wins at equal timestamps. */
    static BlockCodec.Samples merge(BlockCodec.Samples a, BlockCodec.Samples b) {
        int na = a.count();
        int nb = b.count();
        long[] am = a.millis();
        long[] bm = b.millis();
        long[] millis = new long[na + nb];
        double[] values = new double[na + nb];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < na || j < nb) {
            if (j >= nb || (i < na && am[i] < bm[j])) {
                millis[n] = am[i];
                values[n++] = a.values()[i++];
            } else {
                if (i < na && am[i] == bm[j]) {
                    i++;
                }
                millis[n] = bm[j];
                values[n++] = b.values()[j++];
            }
        }
        return new BlockCodec.Samples(millis, values, n);
    }
}
