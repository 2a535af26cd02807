package io.meterflow.store;

import java.util.Arrays;

/** A growable byte buffer with zig-zag variable-length integers, and its reader. */
final class VarBytes {

    private byte[] buf;
    private int len;

    VarBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void writeUnsigned(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void writeSigned(long v) {
        writeUnsigned((v << 1) ^ (v >> 63));
    }

    /** Appends the first {@code count} bytes of {@code bytes}. */
    void writeBytes(byte[] bytes, int count) {
        ensure(count);
        System.arraycopy(bytes, 0, buf, len, count);
        len += count;
    }

    void writeDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (bits >>> (56 - 8 * i));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Reads what a {@link VarBytes} wrote. */
    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        /** The offset of the next byte to read. */
        int position() {
            return pos;
        }

        int readByte() {
            return buf[pos++] & 0xff;
        }

        long readUnsigned() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long readSigned() {
            long v = readUnsigned();
            return (v >>> 1) ^ -(v & 1);
        }

        double readDouble() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xff);
            }
            return Double.longBitsToDouble(bits);
        }
    }
}
