package io.meterflow;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tmpfs of a few megabytes mounted on a folder, for tests of a full disk; unmounted on close.
 * Mounting needs root: where it is not allowed the test is skipped.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code kibibytes} on {@code dir} (created if needed). */
    public static SmallDisk mount(Path dir, int kibibytes) throws Exception {
        Files.createDirectories(dir);
        int exit = run("mount", "-t", "tmpfs", "-o", "size=" + kibibytes + "k", "tmpfs", dir.toString());
        assumeTrue(exit == 0, "mounting a tmpfs needs root");
        return new SmallDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Bytes free on it now. */
    public long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Bytes in all. */
    public long total() throws IOException {
        return Files.getFileStore(dir).getTotalSpace();
    }

    /** Grows (or shrinks) it in place, keeping what it holds. */
    public void resize(int kibibytes) throws Exception {
        if (run("mount", "-o", "remount,size=" + kibibytes + "k", dir.toString()) != 0) {
            throw new IllegalStateException("cannot resize the tmpfs on " + dir);
        }
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }
}
