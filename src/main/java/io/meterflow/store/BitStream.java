package io.meterflow.store;

import java.util.Arrays;

/** A bit-level writer and reader, most significant bit first, for the Rice-coded residuals. */
final class BitStream {

    private BitStream() {}

    /** Appends bits to a growable byte array, eight bytes at a time. */
    static final class Writer {
        private byte[] buf;
        private int len;
        /** Bits not yet in {@code buf}, left-aligned; {@code free} low bits are unused. */
        private long acc;

        private int free = 64;

        Writer(int capacityBytes) {
            buf = new byte[Math.max(16, capacityBytes)];
        }

        /** Writes the low {@code width} bits of {@code value} (width 0 to 64). */
        void write(long value, int width) {
            if (width == 0) {
                return;
            }
            if (width < 64) {
                value &= (1L << width) - 1;
            }
            if (width <= free) {
                free -= width;
                acc |= value << free;
                if (free == 0) {
                    flush();
                }
            } else {
                int spill = width - free;
                acc |= value >>> spill;
                flush();
                free = 64 - spill;
                acc = value << free;
            }
        }

        /** Writes all 64 bits of {@code value}. */
        void write64(long value) {
            write(value, 64);
        }

        /** Writes {@code count} one bits. */
        void ones(int count) {
            while (count > 32) {
                write(0xFFFF_FFFFL, 32);
                count -= 32;
            }
            write((1L << count) - 1, count);
        }

        private void flush() {
            if (len + 8 > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + 8));
            }
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (acc >>> (56 - 8 * i));
            }
            acc = 0;
            free = 64;
        }

        /** Appends the bits written to {@code out}, the last byte padded with zero bits. */
        void finishInto(VarBytes out) {
            out.writeBytes(buf, len);
            int used = 64 - free;
            for (int i = 0; i < (used + 7) / 8; i++) {
                out.writeByte((byte) (acc >>> (56 - 8 * i)));
            }
        }
    }

    /** Reads bits from a byte array starting at an offset; past its end it reads zero bits. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        /** The next bits, left-aligned; {@code avail} of them are valid. */
        private long window;

        private int avail;

        Reader(byte[] buf, int offset) {
            this.buf = buf;
            this.pos = offset;
        }

        private void fill() {
            while (avail <= 56) {
                long b = pos < buf.length ? buf[pos] & 0xFF : 0;
                pos++;
                window |= b << (56 - avail);
                avail += 8;
            }
        }

        /** Reads {@code width} bits (0 to 56) as an unsigned number. */
        long read(int width) {
            if (width == 0) {
                return 0;
            }
            if (avail < width) {
                fill();
            }
            long v = window >>> (64 - width);
            skip(width);
            return v;
        }

        private void skip(int n) {
            window = n >= 64 ? 0 : window << n;
            avail -= n;
        }

        long read64() {
            return (read(32) << 32) | read(32);
        }

        /** Counts one bits up to the next zero bit (consumed), stopping after {@code limit} ones. */
        int ones(int limit) {
            int count = 0;
            while (true) {
                if (avail < 8) {
                    fill();
                }
                int run = Long.numberOfLeadingZeros(~window);
                int usable = Math.min(run, avail);
                if (count + usable >= limit) {
                    skip(limit - count);
                    return limit;
                }
                if (usable < avail) {
                    // a zero bit follows the run: consume the run and the zero
                    skip(usable + 1);
                    return count + usable;
                }
                count += usable;
                skip(usable);
            }
        }
    }
}
