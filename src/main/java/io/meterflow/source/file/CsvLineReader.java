package io.meterflow.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads CSV lines from a byte stream and splits them into fields without creating strings.
 * Unquoted fields are views into the line buffer; a line with quotes is unquoted in place
 * ({@code "a ""b"""} → {@code a "b"}). A UTF-8 byte-order mark is skipped; {@code \r\n} and
 * {@code \n} both end a line. Quoted fields spanning lines are not supported (meters do not write them).
 * A line longer than {@link #MAX_LINE} bytes rejects the file (a binary or runaway file must not
 * fill the memory).
 */
final class CsvLineReader {

    private static final int CHUNK = 1 << 16;
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private final byte[] chunk;
    private int chunkPos;
    private int chunkLen;
    private boolean eof;
    private boolean first = true;
    private long bytesRead;
    private long lineNumber;
    private boolean terminated;

    /** The current line's bytes; fields point into it. */
    byte[] line = new byte[1024];

    int lineLength;
    int[] fieldStart = new int[64];
    int[] fieldLength = new int[64];
    int fieldCount;

    CsvLineReader(InputStream in) {
        this(in, CHUNK);
    }

    /** A reader taking {@code chunkSize} bytes at a time from {@code in}. */
    CsvLineReader(InputStream in, int chunkSize) {
        this.in = in;
        this.chunk = new byte[chunkSize];
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
        lineLength = 0;
        terminated = false;
        lineNumber++;
        while (true) {
            if (chunkPos == chunkLen) {
                if (eof || !fill()) {
                    if (lineLength == 0) {
                        return false;
                    }
                    break;
                }
            }
            int start = chunkPos;
            int i = start;
            int end = chunkLen;
            byte[] c = chunk;
            while (i < end && c[i] != '\n') {
                i++;
            }
            append(c, start, i - start);
            if (i < end) {
                chunkPos = i + 1;
                terminated = true;
                break;
            }
            chunkPos = end;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        if (first) {
            first = false;
            if (lineLength >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
                System.arraycopy(line, 3, line, 0, lineLength - 3);
                lineLength -= 3;
            }
        }
        split();
        return true;
    }

    boolean isBlank() {
        for (int i = 0; i < lineLength; i++) {
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

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, chunk.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        bytesRead += n;
        chunkPos = 0;
        chunkLen = n;
        return true;
    }

    private void append(byte[] src, int off, int len) throws FileRejectedException {
        if (lineLength + len > MAX_LINE) {
            throw new FileRejectedException("line " + lineNumber + " is longer than " + (MAX_LINE >> 20) + " MiB");
        }
        if (lineLength + len > line.length) {
            byte[] bigger = new byte[Math.max(line.length * 2, lineLength + len)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(src, off, line, lineLength, len);
        lineLength += len;
    }

    private void split() {
        fieldCount = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == '"') {
                quoted = true;
                break;
            }
        }
        if (!quoted) {
            for (int i = 0; i < lineLength; i++) {
                if (line[i] == ',') {
                    addField(start, i - start);
                    start = i + 1;
                }
            }
            addField(start, lineLength - start);
            return;
        }
        // quoted: unquote in place, writing each field's bytes at w
        int r = 0;
        int w = 0;
        while (true) {
            int fieldBegin = w;
            boolean inQuotes = false;
            while (r < lineLength) {
                byte b = line[r];
                if (inQuotes) {
                    if (b == '"') {
                        if (r + 1 < lineLength && line[r + 1] == '"') {
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
            if (r >= lineLength) {
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
