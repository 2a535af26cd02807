package io.meterflow.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads CSV lines from a byte stream and splits them into fields without creating strings or
 * copying lines: one pass over each line's bytes finds its end and its commas, and the fields are
 * views into the read buffer ({@link #line}, from {@link #fieldStart}), valid until the next line
 * is read. A line with quotes is unquoted in place ({@code "a ""b"""} → {@code a "b"}). A UTF-8
 * byte-order mark is skipped; {@code \r\n} and {@code \n} both end a line. Quoted fields spanning
 * lines are not supported (meters do not write them). A line longer than {@link #MAX_LINE} bytes
 * rejects the file (a binary or runaway file must not fill the memory).
 */
final class CsvLineReader {

    /** Eight bytes of a line read as one long (the lowest byte first), to look for several bytes at once. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    /** Bytes read and not yet consumed are {@code line[pos, limit)}. */
    private int pos;

    private int limit;
    private boolean eof;
    private boolean first = true;
    private long bytesRead;
    private long lineNumber;
    private boolean terminated;

    /** The read buffer: the current line is {@code line[lineStart, lineStart + lineLength)}, and fields point into it. */
    byte[] line;

    int lineStart;
    int lineLength;
    int[] fieldStart = new int[64];
    int[] fieldLength = new int[64];
    int fieldCount;

    /** A reader taking up to {@code chunkSize} bytes at a time from {@code in} (more for a longer line). */
    CsvLineReader(InputStream in, int chunkSize) {
        this.in = in;
        this.line = new byte[Math.max(16, chunkSize)];
    }

    long bytesRead() {
        return bytesRead;
    }

    /** The number of the current line, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** Whether the current line ended with a line end; false for a last line cut short (or written without one). */
    boolean terminated() {
        return terminated;
    }

    /** Reads the next line; false at the end of the stream. */
    boolean next() throws IOException, FileRejectedException {
        lineNumber++;
        terminated = false;
        int start = pos;
        int i = start;
        while (true) {
            byte[] b = line;
            int end = limit;
            i = indexOfNewline(b, i, end);
            if (i < end) {
                pos = i + 1;
                terminated = true;
                break;
            }
            boolean more = !eof && fill(start);
            int moved = start - pos; // the line was moved to the buffer's start: its positions with it
            start -= moved;
            i -= moved;
            if (!more) {
                if (i == start) {
                    fieldCount = 0;
                    lineLength = 0;
                    return false; // nothing after the last line end
                }
                pos = i;
                break;
            }
        }
        int end = i;
        if (end > start && line[end - 1] == '\r') {
            end--;
        }
        if (first) {
            first = false;
            if (end - start >= 3
                    && (line[start] & 0xff) == 0xEF
                    && (line[start + 1] & 0xff) == 0xBB
                    && (line[start + 2] & 0xff) == 0xBF) {
                start += 3;
            }
        }
        lineStart = start;
        lineLength = end - start;
        split(start, end);
        return true;
    }

    boolean isBlank() {
        for (int i = lineStart, end = lineStart + lineLength; i < end; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != ',' && b != ';') {
                return false;
            }
        }
        return true;
    }

    String field(int i) {
        return new String(line, fieldStart[i], fieldLength[i], StandardCharsets.UTF_8).trim();
    }

    /**
     * Reads more bytes after the unconsumed ones, first moving the line begun at {@code lineBegin}
     * to the buffer's start (growing the buffer when the line fills it); false at the end of the
     * stream.
     */
    private boolean fill(int lineBegin) throws IOException, FileRejectedException {
        int kept = limit - lineBegin;
        if (kept >= MAX_LINE) {
            throw new FileRejectedException("line " + lineNumber + " is longer than " + (MAX_LINE >> 20) + " MiB");
        }
        if (lineBegin > 0) {
            System.arraycopy(line, lineBegin, line, 0, kept);
        } else if (kept == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE + 1));
        }
        pos -= lineBegin;
        limit = kept;
        int n = in.read(line, limit, line.length - limit);
        if (n <= 0) {
            eof = true;
            return false;
        }
        bytesRead += n;
        limit += n;
        return true;
    }

    /** The fields of {@code line[start, end)}: views into the buffer, unquoted in place when the line has quotes. */
    private void split(int start, int end) {
        fieldCount = 0;
        byte[] b = line;
        int begin = start;
        int i = start;
        // eight bytes at a time: most words hold no comma and no quote
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(b, i);
            long found = bytesEqual(word, COMMAS) | bytesEqual(word, QUOTES);
            while (found != 0) {
                int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                if (b[at] == '"') {
                    fieldCount = 0;
                    unquote(start, end);
                    return;
                }
                addField(begin, at - begin);
                begin = at + 1;
                found &= found - 1;
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == ',') {
                addField(begin, i - begin);
                begin = i + 1;
            } else if (c == '"') {
                fieldCount = 0;
                unquote(start, end);
                return;
            }
        }
        addField(begin, end - begin);
    }

    /** The index of the first {@code '\n'} in {@code b[from, end)}; {@code end} when there is none. */
    private static int indexOfNewline(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long found = bytesEqual((long) LONGS.get(b, i), NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < end && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The high bit of each byte of {@code word} that equals the byte repeated in {@code pattern}; the others 0. */
    private static long bytesEqual(long word, long pattern) {
        long x = word ^ pattern;
        long y = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
        return ~(y | x | 0x7F7F7F7F7F7F7F7FL);
    }

    /** Splits a line with quotes: each field unquoted in place. */
    private void unquote(int start, int end) {
        int r = start;
        int w = start;
        while (true) {
            int fieldBegin = w;
            boolean inQuotes = false;
            while (r < end) {
                byte b = line[r];
                if (inQuotes) {
                    if (b == '"') {
                        if (r + 1 < end && line[r + 1] == '"') {
                            line[w++] = '"';
                            r += 2;
                            continue;
                        }
                        inQuotes = false;
                        r++;
                        continue;
                    }
                    line[w++] = b;
                    r++;
                } else if (b == '"') {
                    inQuotes = true;
                    r++;
                } else if (b == ',') {
                    break;
                } else {
                    line[w++] = b;
                    r++;
                }
            }
            addField(fieldBegin, w - fieldBegin);
            if (r >= end) {
                break;
            }
            r++; // the comma
        }
    }

    private void addField(int start, int length) {
        if (fieldCount == fieldStart.length) {
            fieldStart = Arrays.copyOf(fieldStart, fieldCount * 2);
            fieldLength = Arrays.copyOf(fieldLength, fieldCount * 2);
        }
        fieldStart[fieldCount] = start;
        fieldLength[fieldCount] = length;
        fieldCount++;
    }
}
