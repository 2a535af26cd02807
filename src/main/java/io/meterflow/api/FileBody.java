package io.meterflow.api;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An answer's body that is a file: sent by the HTTP server from the file itself ({@link
 * HttpResponder}), and deleted once sent when it is {@code temporary}.
 */
public record FileBody(Path path, boolean temporary) {

    /** The file's bytes as a stream, for a server that cannot send the file; a temporary one is deleted on close. */
    public InputStream open() throws IOException {
        return temporary ? new DeletingInputStream(path) : new FileInputStream(path.toFile());
    }

    /** Deletes a temporary file; a lasting one stays. */
    public void done() throws IOException {
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }

    private static final class DeletingInputStream extends FileInputStream {
        private final Path path;

        DeletingInputStream(Path path) throws IOException {
            super(path.toFile());
            this.path = path;
        }

        @Override
        public void close() throws IOException {
            super.close();
            Files.deleteIfExists(path);
        }
    }
}
