package io.meterflow.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * Writing export files so that a failure (a full disk, above all) leaves nothing behind: the file
 * is written under a hidden temporary name, its stream closed whatever happens (the JDK's writer
 * leaves the stream open when its last flush fails, and a deleted but open file keeps its space),
 * the temporary file deleted on failure, and only a complete file renamed to its final name.
 */
public final class ExportFiles {

    /** Writes a file's bytes to the stream it is given, and flushes it. */
    @FunctionalInterface
    public interface Body<T> {
        T write(OutputStream out) throws IOException;
    }

    private ExportFiles() {}

    /**
     * Writes {@code target} through {@code body}: complete under its final name, or not at all.
     *
     * @param digest updated with the bytes written; null for none
     */
    public static <T> T writeAtomically(Path target, MessageDigest digest, Body<T> body) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        T result = write(tmp, digest, body);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return result;
    }

    /** Writes {@code file} through {@code body}; on failure the file is deleted and the failure thrown. */
    public static <T> T write(Path file, MessageDigest digest, Body<T> body) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file)) {
            // the stream itself is closed by the try, whether the last flush fails or not
            return body.write(digest == null ? stream : new DigestOutputStream(stream, digest));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A short code for an I/O failure users can act on: a full disk, or anything else. */
    public static String code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left")) {
                return "NO_SPACE";
            }
        }
        return "EXPORT_FAILED";
    }
}
