package io.meterflow.source.file;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files the inbox rejected, kept in {@code inbox/.error/} beside their {@code .reason}: once
 * someone fixed one there, {@link #requeue} moves it back into the inbox to be read again (its
 * reason file goes). Only a file the ledger recorded as rejected, by its path inside the inbox,
 * is moved, and only within the inbox: a path that would lead out of {@code .error} or into a
 * hidden folder, or a link, is refused.
 */
public final class RejectedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedFiles.class);

    /** What a re-queue did. */
    public enum Outcome {
        /** moved back into the inbox */
        REQUEUED,
        /** the ledger row is not a rejection */
        NOT_REJECTED,
        /** the file is no longer in {@code .error} (re-queued already, or removed) */
        GONE,
        /** a file of the same path waits in the inbox already */
        ALREADY_WAITING
    }

    private final Path inbox;
    private final Path errors;

    public RejectedFiles(Path inbox) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.errors = this.inbox.resolve(".error");
    }

    /** Whether the rejected file of this ledger path is still in {@code .error}. */
    public boolean present(String path) {
        Path file = inErrors(path);
        return file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Moves the rejected file of {@code entry} back into the inbox. */
    public Outcome requeue(IngestedFiles.Recorded entry) throws IOException {
        if (entry.status() != IngestedFiles.Status.REJECTED) {
            return Outcome.NOT_REJECTED;
        }
        Path file = inErrors(entry.path());
        if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Outcome.GONE;
        }
        Path target = inbox.resolve(errors.relativize(file));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return Outcome.ALREADY_WAITING;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target);
        } catch (FileAlreadyExistsException e) {
            return Outcome.ALREADY_WAITING;
        }
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".reason"));
        LOG.info("file requeued: moved back from .error on request file={}", entry.path());
        return Outcome.REQUEUED;
    }

    /** The file under {@code .error} for a ledger path; null when the path would lead elsewhere. */
    private Path inErrors(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        Path relative;
        try {
            relative = Path.of(path).normalize();
        } catch (RuntimeException e) {
            return null;
        }
        if (relative.isAbsolute()
                || relative.getNameCount() == 0
                || relative.getName(0).toString().startsWith(".")) {
            return null;
        }
        Path file = errors.resolve(relative).normalize();
        return file.startsWith(errors) && !file.equals(errors) ? file : null;
    }
}
