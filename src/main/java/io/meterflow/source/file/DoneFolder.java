package io.meterflow.source.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's {@code .done} folder checked against the ledger. At start, a file there whose
 * ingestion the ledger does not record (its commit lost: an H2 file after a power loss, a database
 * put back from an older backup) goes back into the inbox to be ingested again
 * ({@link #requeueUnrecorded}); writes are idempotent, so at worst a file is read twice.
 *
 * <p>The check reads the ledger one meter folder at a time, so its memory is that of the largest
 * meter's files, not of the whole ledger. An engine on an embedded database (its alone: no other
 * engine moves files meanwhile) skips it when it stopped normally the time before and the ledger
 * is as it left it: a normal stop, once every file taken has left the inbox, leaves a mark in
 * {@code .done} naming the ledger's last row ({@link #markStopped}). The engine takes the mark as
 * it starts, before any file can be moved ({@link #takeStopMark}), and the removal is forced to
 * the disk, so an engine that crashes or loses power afterwards leaves none: the next start checks
 * every file.
 */
public final class DoneFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DoneFolder.class);

    /** The mark of a normal stop, in {@code .done}: {@code ledger-last-id=<id>}. */
    static final String STOP_MARK = ".stopped";

    private static final String LAST_ID = "ledger-last-id=";

    private final Path inbox;
    private final IngestedFiles ledger;
    private final boolean embedded;
    /** Whether the mark taken at start stands for the folder: the next check is skipped. */
    private volatile boolean stoppedNormally;

    /**
     * @param embedded whether the database is this engine's alone (an embedded H2): only then
     *     may a normal stop stand for the whole folder
     */
    public DoneFolder(Path inbox, IngestedFiles ledger, boolean embedded) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.ledger = ledger;
        this.embedded = embedded;
    }

    private Path done() {
        return inbox.resolve(".done");
    }

    /**
     * Puts every file of {@code .done} the ledger does not record as ingested (by its path and
     * size) back into the inbox; a file of the same name already waiting there wins. Skipped after
     * a normal stop of an engine on an embedded database, with the ledger as that stop left it.
     *
     * @return the files put back
     */
    public int requeueUnrecorded() throws IOException {
        Path done = done();
        if (!Files.isDirectory(done)) {
            return 0;
        }
        if (stoppedNormally) {
            stoppedNormally = false;
            LOG.info("inbox .done not checked: the engine stopped normally and the ledger is as it left it");
            return 0;
        }
        long started = System.nanoTime();
        int[] checked = {0};
        int requeued = 0;
        List<Path> loose = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(done)) {
            for (Path entry : entries) {
                if (hidden(entry)) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    Set<String> recorded =
                            ledger.ingestedFiles(entry.getFileName().toString());
                    requeued += requeue(done, unrecorded(done, entry, recorded, checked));
                } else {
                    loose.add(entry); // not in a meter folder: never recorded as ingested
                }
            }
        }
        checked[0] += loose.size();
        requeued += requeue(done, loose);
        LOG.info(
                "inbox .done checked against the ledger files={} requeued={} ms={}",
                checked[0],
                requeued,
                (System.nanoTime() - started) / 1_000_000);
        return requeued;
    }

    /**
     * The files below a meter folder of {@code .done} that are not in {@code recorded} (path and
     * size); each file looked at is counted into {@code checked[0]}.
     */
    private static List<Path> unrecorded(Path done, Path meterFolder, Set<String> recorded, int[] checked)
            throws IOException {
        List<Path> lost = new ArrayList<>();
        Files.walkFileTree(meterFolder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()
                        && !hidden(file)
                        && !file.getFileName().toString().endsWith(".reason")) {
                    checked[0]++;
                    if (!recorded.contains(done.relativize(file).toString() + '\0' + attrs.size())) {
                        lost.add(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return lost;
    }

    private int requeue(Path done, List<Path> lost) throws IOException {
        int requeued = 0;
        for (Path f : lost) {
            Path target = inbox.resolve(done.relativize(f));
            if (Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("file requeued: in .done but not recorded as ingested file={}", done.relativize(f));
            requeued++;
        }
        return requeued;
    }

    /**
     * Leaves the mark of a normal stop: to be called once every file taken has left the inbox and
     * before the database closes. Only on an embedded database; a failure only means the next
     * start checks the folder.
     */
    public void markStopped() {
        if (!embedded) {
            return;
        }
        try {
            Path done = done();
            Files.createDirectories(done);
            Path written = done.resolve(STOP_MARK + ".tmp");
            Files.writeString(written, LAST_ID + ledger.lastId() + "\n", StandardCharsets.UTF_8);
            Files.move(written, done.resolve(STOP_MARK), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("no stop mark in inbox/.done: the next start checks the folder: {}", e.toString());
        }
    }

    /**
     * At start, before any file can be moved into {@code .done}: takes the mark a normal stop left
     * there (removed, durably), and keeps whether it stands for the folder (an embedded database,
     * the ledger's last row the one marked), so that the next {@link #requeueUnrecorded} is skipped.
     */
    public void takeStopMark() {
        try {
            long marked = takeStopMark(done());
            stoppedNormally = embedded && marked >= 0 && marked == ledger.lastId();
        } catch (IOException | RuntimeException e) { // the mark not removed, or the ledger unread: check
            LOG.warn("the stop mark in inbox/.done not taken, the folder is checked: {}", e.toString());
            stoppedNormally = false;
        }
    }

    /** The ledger's last id a normal stop marked, or -1 (no mark, or not readable); the mark is removed, durably. */
    private static long takeStopMark(Path done) throws IOException {
        Path mark = done.resolve(STOP_MARK);
        String text;
        try {
            text = Files.readString(mark, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            text = "";
        }
        Files.deleteIfExists(mark);
        // the removal on the disk before any file is moved into the folder: a power loss later must
        // not bring the mark back beside files whose commits it lost
        try (FileChannel folder = FileChannel.open(done, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            LOG.debug("inbox/.done not synced: {}", e.toString()); // folders cannot be opened on every system
        }
        if (!text.startsWith(LAST_ID)) {
            return -1;
        }
        try {
            return Long.parseLong(text.substring(LAST_ID.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
