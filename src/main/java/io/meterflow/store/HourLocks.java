package io.meterflow.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises writers of the same meter-hour inside this process, so that two files covering
 * the same hour merge rather than overwrite each other. Striped: unrelated hours may share a
 * lock, so acquisition has a timeout and the caller retries its whole transaction.
 */
final class HourLocks {

    private final ReentrantLock[] stripes;
    private final long timeoutMillis;

    HourLocks(int stripes, long timeoutMillis) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
        this.timeoutMillis = timeoutMillis;
    }

    ReentrantLock lock(String meterId, long hourStart) throws InterruptedException {
        int h = 31 * meterId.hashCode() + Long.hashCode(hourStart * 0x9E3779B97F4A7C15L);
        ReentrantLock lock = stripes[Math.floorMod(h ^ (h >>> 16), stripes.length)];
        if (!lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new RetryableWriteException(
                    "timed out waiting for the lock of meter " + meterId + " hour " + hourStart);
        }
        return lock;
    }
}
