package io.meterflow.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bytes of an answer as they are written: in memory up to a limit, beyond it in a temporary
 * file that takes what was in memory and the rest. An answer that fits is sent from memory in one
 * write, with no file written and read again; a longer one (a year at 1min) costs no more memory
 * than the limit. {@link #memory()} or {@link #file()} hands the bytes over once the writing is
 * done; {@link #discard()} drops them (the file too) when it failed.
 */
public final class SpillingOutput extends OutputStream {

    private static final int FIRST_CAPACITY = 1 << 16;

    private final Path dir;
    private final int limit;
    private byte[] memory = new byte[FIRST_CAPACITY];
    private int count;
    private Path file;
    private OutputStream spill;
    private long spilled;

    /**
     * @param dir where the temporary file goes, when the bytes outgrow {@code limit}
     * @param limit the most bytes kept in memory
     */
    public SpillingOutput(Path dir, int limit) {
        this.dir = dir;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (spill != null) {
            spill.write(b, off, len);
            spilled += len;
            return;
        }
        if (count + len > limit) {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "export-", ".csv");
            spill = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            spill.write(memory, 0, count);
            spilled = count;
            memory = null;
            count = 0;
            write(b, off, len);
            return;
        }
        if (count + len > memory.length) {
            memory = Arrays.copyOf(memory, (int) Math.min(limit, Math.max(count + len, 2L * memory.length)));
        }
        System.arraycopy(b, off, memory, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        if (spill != null) {
            spill.flush();
        }
    }

    /** Closes the temporary file, if there is one; the bytes stay until handed over or discarded. */
    @Override
    public void close() throws IOException {
        if (spill != null) {
            spill.close();
        }
    }

    /** The bytes written. */
    public long size() {
        return file == null ? count : spilled;
    }

    /** True when the bytes went to a temporary file. */
    public boolean spilled() {
        return file != null;
    }

    /** The bytes written, when they stayed in memory ({@link #spilled()} false). */
    public ByteBuffer memory() {
        return ByteBuffer.wrap(memory, 0, count);
    }

    /**
     * The temporary file of the bytes written, once {@link #close()}d, when they outgrew the memory;
     * whoever takes it deletes it.
     */
    public Path file() {
        return file;
    }

    /** Drops the bytes: closes and deletes the temporary file, if there is one. */
    public void discard() throws IOException {
        try {
            close();
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            memory = null;
        }
    }
}
