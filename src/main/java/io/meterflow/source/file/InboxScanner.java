package io.meterflow.source.file;

import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the inbox. Each {@link #scan} lists the files waiting under {@code inbox/<meter-id>/**}
 * (one walk of the folder, names in order), takes those that are ready — at least the minimum age
 * old, or, without a minimum age, unchanged in size and time for a quarter of a second — claims
 * each before reading it ({@link InboxClaims}: engines sharing the inbox read each file once),
 * and has them parsed on its threads. No file waits for its own commit: the writer commits the
 * files that are ready together, many in one transaction, and each file is then moved out of the
 * inbox ({@link FileIngestor#ingestDropped(Path, java.util.concurrent.Executor)}). At most
 * {@link #MAX_FILES_IN_FLIGHT} files (and about {@link #MAX_BYTES_IN_FLIGHT} bytes of them) are
 * claimed and not yet moved at a time, so memory stays bounded and engines sharing the inbox
 * share its files. A scan returns once every file it took has left the inbox or been handed back
 * to wait (the database cannot take writes: later scans try again, after a pause that grows to
 * ten seconds).
 */
public final class InboxScanner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);

    /** Files claimed and not yet moved out of the inbox, at most. */
    static final int MAX_FILES_IN_FLIGHT = 256;

    /** Bytes of files claimed and not yet moved, at most (a larger file goes alone). */
    static final long MAX_BYTES_IN_FLIGHT = 64L << 20;

    /** Files never read: partial downloads, editors' and other tools' temporary files, reasons. */
    private static final Pattern EXCLUDED = Pattern.compile(".*\\.(tmp|part|partial|crdownload|swp|reason)$|.*~$");

    /** Without a minimum age, how long a file's size and time must stay the same before it is read. */
    private static final long STABLE_NANOS = 250_000_000L;

    private static final long FIRST_PAUSE_NANOS = 500_000_000L;
    private static final long MAX_PAUSE_NANOS = 10_000_000_000L;

    /** A file found by a scan. */
    private record Candidate(Path path, String relative, long size, long modifiedMillis) {}

    /** A file's size and time when first seen so (no minimum age: the file must keep them a while). */
    private record Seen(long size, long modifiedMillis, long sinceNanos) {}

    private final Path inbox;
    private final FileIngestor ingestor;
    private final InboxClaims claims;
    private final long minAgeMillis;
    private final ExecutorService pool;
    /** Files not yet ready, as last seen: the scanning thread's alone. */
    private final Map<String, Seen> seen = new HashMap<>();

    private int filesInFlight; // guarded by this
    private long bytesInFlight; // guarded by this
    private volatile long resumeAtNanos;
    private volatile long pauseNanos = FIRST_PAUSE_NANOS;
    private volatile boolean stopping;

    public InboxScanner(Path inbox, FileIngestor ingestor, InboxClaims claims, long minAgeMillis, int threads) {
        this.inbox = inbox.toAbsolutePath().normalize();
        this.ingestor = ingestor;
        this.claims = claims;
        this.minAgeMillis = minAgeMillis;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "inbox-ingest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes every file that is ready, ingests it and moves it out of the inbox; returns once all
     * of them are settled, with the number of files moved (ingested or rejected). One scan at a
     * time (the route's timer): a new scan finds none of this engine's files still in flight.
     */
    public int scan() throws IOException, InterruptedException {
        if (stopping || System.nanoTime() - resumeAtNanos < 0) {
            return 0;
        }
        long started = System.nanoTime();
        List<Candidate> ready = ready(list());
        AtomicInteger moved = new AtomicInteger();
        List<CompletableFuture<Void>> taken = new ArrayList<>();
        for (Candidate c : ready) {
            if (stopping || System.nanoTime() - resumeAtNanos < 0) {
                break;
            }
            if (!admit(c.size())) {
                continue;
            }
            String key = key(c.relative());
            if (!claims.claim(key)) {
                release(c.size());
                continue;
            }
            taken.add(CompletableFuture.supplyAsync(() -> ingestor.ingestDropped(c.path(), pool), pool)
                    .thenCompose(f -> f)
                    .handle((report, failure) -> {
                        finished(c, key, failure);
                        if (failure == null) {
                            moved.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)).join();
        if (!taken.isEmpty()) {
            LOG.debug(
                    "inbox scan files={} taken={} moved={} ms={}",
                    ready.size(),
                    taken.size(),
                    moved.get(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return moved.get();
    }

    /** A file's claim ends: it left the inbox, or it waits there for a later scan. */
    private void finished(Candidate c, String key, Throwable failure) {
        try {
            if (failure == null) {
                pauseNanos = FIRST_PAUSE_NANOS;
                return;
            }
            Throwable cause = failure instanceof CompletionException e && e.getCause() != null ? e.getCause() : failure;
            if (cause instanceof NoSuchFileException) {
                LOG.debug("file gone before it was ingested: {}", c.relative()); // another engine took it
                return;
            }
            if (!(StoreException.unavailable(cause) || cause instanceof RetryableWriteException)) {
                LOG.warn("file left in the inbox to be read again later file={}: {}", c.relative(), cause.toString());
            }
            // the database cannot take it now (its outage is logged once), or the file could not be
            // moved: later scans try again, calmly
            long pause = pauseNanos;
            resumeAtNanos = System.nanoTime() + pause;
            pauseNanos = Math.min(pause * 2, MAX_PAUSE_NANOS);
        } finally {
            try {
                claims.release(key);
            } finally {
                release(c.size());
            }
        }
    }

    /** Every file below the inbox's meter folders, but hidden and excluded ones, in path order. */
    private List<Candidate> list() throws IOException {
        List<Candidate> found = new ArrayList<>();
        Files.createDirectories(inbox);
        Files.walkFileTree(inbox, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(inbox) && dir.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (attrs.isRegularFile()
                        && !name.startsWith(".")
                        && !EXCLUDED.matcher(name).matches()) {
                    found.add(new Candidate(
                            file,
                            relative(file),
                            attrs.size(),
                            attrs.lastModifiedTime().toMillis()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (taken by another engine), or unreadable
            }
        });
        found.sort(Comparator.comparing(Candidate::relative));
        return found;
    }

    /** The files old enough (or, without a minimum age, unchanged for a while) to be read. */
    private List<Candidate> ready(List<Candidate> found) {
        long now = System.currentTimeMillis();
        long nanos = System.nanoTime();
        List<Candidate> ready = new ArrayList<>(found.size());
        Map<String, Seen> stillWaiting = new HashMap<>();
        for (Candidate c : found) {
            if (minAgeMillis > 0) {
                if (now - c.modifiedMillis() >= minAgeMillis) {
                    ready.add(c);
                }
                continue;
            }
            Seen before = seen.get(c.relative());
            boolean unchanged =
                    before != null && before.size() == c.size() && before.modifiedMillis() == c.modifiedMillis();
            if (unchanged && nanos - before.sinceNanos() >= STABLE_NANOS) {
                ready.add(c);
            } else {
                stillWaiting.put(c.relative(), unchanged ? before : new Seen(c.size(), c.modifiedMillis(), nanos));
            }
        }
        seen.clear();
        seen.putAll(stillWaiting);
        return ready;
    }

    /** Waits until the file fits among those in flight; false when the engine stops meanwhile. */
    private synchronized boolean admit(long size) throws InterruptedException {
        while (filesInFlight > 0
                && (filesInFlight >= MAX_FILES_IN_FLIGHT || bytesInFlight + size > MAX_BYTES_IN_FLIGHT)) {
            if (stopping) {
                return false;
            }
            wait(200);
        }
        if (stopping) {
            return false;
        }
        filesInFlight++;
        bytesInFlight += size;
        return true;
    }

    private synchronized void release(long size) {
        filesInFlight--;
        bytesInFlight -= size;
        notifyAll();
    }

    /** The path below the inbox, with forward slashes: what a claim is kept by (through its hash). */
    private String relative(Path file) {
        String r = inbox.relativize(file).toString();
        return file.getFileSystem().getSeparator().equals("/")
                ? r
                : r.replace(file.getFileSystem().getSeparator(), "/");
    }

    /** A claim's key: the SHA-256 of the file's path below the inbox, so engines may mount the inbox anywhere. */
    static String key(String relative) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(relative.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }

    /** The engine is stopping: no more files are taken; a scan settles those it took and returns. */
    public void stopTaking() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Stops taking files and waits (up to 30 s) for those in flight; true when every file taken
     * has left the inbox or been handed back to wait there.
     */
    public boolean stopAndSettle() {
        stopTaking();
        pool.shutdown();
        try {
            if (pool.awaitTermination(30, TimeUnit.SECONDS)) {
                return true;
            }
            LOG.warn("files still being ingested at stop: they stay in the inbox and are read again at start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stops taking files and waits (up to 30 s) for those in flight. */
    @Override
    public void close() {
        stopAndSettle();
    }
}
