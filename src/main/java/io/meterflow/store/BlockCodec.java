package io.meterflow.store;

import io.meterflow.series.Rollup;

/**
 * The compact encoding of one series-hour of samples and of its minute rollups.
 *
 * <p>Samples: the count; timestamps as runs of equal deltas (regular 1-second data costs a few
 * bytes per hour); values, when every value of the block is a decimal with at most
 * {@value #MAX_SCALE} fraction digits, as their scaled integers' residuals from a prediction,
 * Rice-coded ({@link PredictedValues}), else as raw IEEE doubles. Blocks written before that
 * (version 1) hold zig-zag varint deltas of the scaled integers and are read as they are.
 *
 * <p>Minute rollups: a 60-bit mask of the minutes holding samples, then per minute the count and
 * sum, min, max, first, last (scaled integers relative to the previous minute's last, or doubles).
 * A block with at most one sample in every minute (1-minute data and sparser) keeps no minute
 * rollups of its own ({@link #DERIVED_MINUTES}): each would repeat its one sample five times, and
 * they are made from the samples when read, the same values.
 */
public final class BlockCodec {

    static final int MAX_SCALE = 9;
    /** The minute rollups' encoding version. */
    private static final int VERSION = 1;
    /** The samples' encoding: 1 varint deltas, 2 predicted and Rice-coded values. */
    private static final int SAMPLES_VERSION = 2;

    private static final int RAW = 0xFF;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final double LIMIT = 9.0e15;

    /** The minute rollups of a block whose minutes hold at most one sample each: made from its samples. */
    static final byte[] DERIVED_MINUTES = {VERSION, (byte) 0xFD};

    /** Whether stored minute rollups are {@link #DERIVED_MINUTES}: shorter than any encoded rollups. */
    public static boolean derived(byte[] minutes) {
        return minutes.length < 3;
    }

    /** The minute rollups of a block as stored: decoded, or made from its samples when derived. */
    public static Rollup[] minutes(long hourStartMillis, byte[] minutes, byte[] samples) {
        if (!derived(minutes)) {
            return decodeMinutes(minutes);
        }
        Samples s = decodeSamples(hourStartMillis, samples);
        return minuteRollups(hourStartMillis, s.millis(), s.values(), s.count());
    }

    /** The minute rollups of encoded samples, encoded in full (never derived). */
    static byte[] minutesEncoded(long hourStartMillis, byte[] samples) {
        Samples s = decodeSamples(hourStartMillis, samples);
        return encodeMinutes(
                minuteRollups(hourStartMillis, s.millis(), s.values(), s.count()), scaleOf(s.values(), s.count()));
    }

    /** The minute rollups to store for a block's samples: derived when no minute holds two. */
    static byte[] storedMinutes(Rollup[] minutes, int scale) {
        for (Rollup m : minutes) {
            if (m != null && m.count() > 1) {
                return encodeMinutes(minutes, scale);
            }
        }
        return DERIVED_MINUTES;
    }

    /** Decoded samples, sorted by time, one value per timestamp. */
    public record Samples(long[] millis, double[] values, int count) {}

    private BlockCodec() {}

    /** The decimal scale (fraction digits) that holds every value exactly, or -1 when none does. */
    static int scaleOf(double[] values, int n) {
        int scale = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            while (true) {
                double p = POW10[scale];
                double scaled = v * p;
                if (Math.abs(scaled) >= LIMIT) {
                    return -1;
                }
                if (Math.round(scaled) / p == v) {
                    break;
                }
                if (++scale > MAX_SCALE) {
                    return -1;
                }
            }
        }
        return scale;
    }

    static byte[] encodeSamples(long baseMillis, long[] millis, double[] values, int n, int scale) {
        VarBytes out = new VarBytes(16 + n * 2);
        out.writeByte(SAMPLES_VERSION);
        out.writeUnsigned(n);
        if (n == 0) {
            return out.toByteArray();
        }
        out.writeSigned(millis[0] - baseMillis);
        // runs of equal deltas
        int i = 1;
        int runs = 0;
        VarBytes runBytes = new VarBytes(16);
        while (i < n) {
            long delta = millis[i] - millis[i - 1];
            int length = 1;
            while (i + length < n && millis[i + length] - millis[i + length - 1] == delta) {
                length++;
            }
            runBytes.writeUnsigned(delta);
            runBytes.writeUnsigned(length);
            runs++;
            i += length;
        }
        out.writeUnsigned(runs);
        byte[] rb = runBytes.toByteArray();
        for (byte b : rb) {
            out.writeByte(b);
        }
        if (scale < 0) {
            out.writeByte(RAW);
            for (int k = 0; k < n; k++) {
                out.writeDouble(values[k]);
            }
        } else {
            out.writeByte(scale);
            double p = POW10[scale];
            long[] scaled = new long[n];
            for (int k = 0; k < n; k++) {
                scaled[k] = Math.round(values[k] * p);
            }
            PredictedValues.encode(scaled, n, out);
        }
        return out.toByteArray();
    }

    public static Samples decodeSamples(long baseMillis, byte[] bytes) {
        VarBytes.Reader in = new VarBytes.Reader(bytes);
        int version = in.readByte();
        if (version != 1 && version != SAMPLES_VERSION) {
            throw new IllegalStateException("unknown sample block version " + version);
        }
        int n = (int) in.readUnsigned();
        long[] millis = new long[n];
        double[] values = new double[n];
        if (n == 0) {
            return new Samples(millis, values, 0);
        }
        millis[0] = baseMillis + in.readSigned();
        int runs = (int) in.readUnsigned();
        int i = 1;
        for (int r = 0; r < runs; r++) {
            long delta = in.readUnsigned();
            long length = in.readUnsigned();
            for (long k = 0; k < length; k++, i++) {
                millis[i] = millis[i - 1] + delta;
            }
        }
        int scale = in.readByte();
        if (scale == RAW) {
            for (int k = 0; k < n; k++) {
                values[k] = in.readDouble();
            }
        } else if (version == 1) {
            double p = POW10[scale];
            long m = 0;
            for (int k = 0; k < n; k++) {
                m += in.readSigned();
                values[k] = m / p;
            }
        } else {
            double p = POW10[scale];
            long[] scaled = new long[n];
            PredictedValues.decode(bytes, in, n, scaled);
            for (int k = 0; k < n; k++) {
                values[k] = scaled[k] / p;
            }
        }
        return new Samples(millis, values, n);
    }

    /** Minute rollups of sorted samples of the hour starting at {@code hourStartMillis}. */
    static Rollup[] minuteRollups(long hourStartMillis, long[] millis, double[] values, int n) {
        return slotRollups(hourStartMillis, millis, values, n, 60_000);
    }

    /** Rollups of sorted samples of one hour in slots of {@code slotMillis} (a divisor of an hour). */
    static Rollup[] slotRollups(long hourStartMillis, long[] millis, double[] values, int n, int slotMillis) {
        Rollup[] slots = new Rollup[(int) (3_600_000L / slotMillis)];
        int i = 0;
        while (i < n) {
            int slot = (int) ((millis[i] - hourStartMillis) / slotMillis);
            long end = hourStartMillis + (long) (slot + 1) * slotMillis;
            double first = values[i++];
            if (i == n || millis[i] >= end) {
                // the slot's one sample (1-minute data in minute slots, 1-second data in 1sec slots)
                slots[slot] = new Rollup(1, first, first, first, first, first);
                continue;
            }
            long count = 1;
            double sum = first;
            double min = first;
            double max = first;
            double last = first;
            while (i < n && millis[i] < end) {
                double v = values[i];
                count++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                last = v;
                i++;
            }
            slots[slot] = new Rollup(count, sum, min, max, first, last);
        }
        return slots;
    }

    static byte[] encodeMinutes(Rollup[] minutes, int scale) {
        if (scale >= 0 && !fitsScaled(minutes, POW10[scale])) {
            scale = -1;
        }
        VarBytes out = new VarBytes(64 * 8);
        out.writeByte(VERSION);
        out.writeByte(scale < 0 ? RAW : scale);
        long mask = 0;
        for (int m = 0; m < 60; m++) {
            if (minutes[m] != null) {
                mask |= 1L << m;
            }
        }
        out.writeUnsigned(mask);
        double p = scale < 0 ? 1 : POW10[scale];
        long reference = 0;
        for (int m = 0; m < 60; m++) {
            Rollup r = minutes[m];
            if (r == null) {
                continue;
            }
            out.writeUnsigned(r.count());
            if (scale < 0) {
                out.writeDouble(r.sum());
                out.writeDouble(r.min());
                out.writeDouble(r.max());
                out.writeDouble(r.first());
                out.writeDouble(r.last());
            } else {
                out.writeSigned(Math.round(r.sum() * p) - reference * r.count());
                out.writeSigned(Math.round(r.min() * p) - reference);
                out.writeSigned(Math.round(r.max() * p) - reference);
                out.writeSigned(Math.round(r.first() * p) - reference);
                long last = Math.round(r.last() * p);
                out.writeSigned(last - reference);
                reference = last;
            }
        }
        return out.toByteArray();
    }

    /** Whether every scaled sum, and the deltas taken against count × reference, stay well inside a long. */
    private static boolean fitsScaled(Rollup[] minutes, double p) {
        for (Rollup r : minutes) {
            if (r != null
                    && (Math.abs(r.sum() * p) >= LIMIT
                            || Math.max(Math.abs(r.min()), Math.abs(r.max())) * p * r.count() >= LIMIT)) {
                return false;
            }
        }
        return true;
    }

    public static Rollup[] decodeMinutes(byte[] bytes) {
        VarBytes.Reader in = new VarBytes.Reader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown rollup block version " + version);
        }
        int scale = in.readByte();
        long mask = in.readUnsigned();
        Rollup[] minutes = new Rollup[60];
        double p = scale == RAW ? 1 : POW10[scale];
        long reference = 0;
        for (int m = 0; m < 60; m++) {
            if ((mask & (1L << m)) == 0) {
                continue;
            }
            long count = in.readUnsigned();
            if (scale == RAW) {
                minutes[m] = new Rollup(
                        count, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
            } else {
                long sum = in.readSigned() + reference * count;
                long min = in.readSigned() + reference;
                long max = in.readSigned() + reference;
                long first = in.readSigned() + reference;
                long last = in.readSigned() + reference;
                minutes[m] = new Rollup(count, sum / p, min / p, max / p, first / p, last / p);
                reference = last;
            }
        }
        return minutes;
    }
}
