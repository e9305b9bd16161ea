package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * The host-wide {@code /var/run/vzdump.lock}: one vzdump at a time per host, first come first served.
 * The file is written for whoever looks; the semaphore is what actually serialises.
 */
public final class VzdumpLock {
    private final Semaphore permit = new Semaphore(1, true);
    private final Path file;

    public VzdumpLock(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    boolean tryAcquire() {
        return permit.tryAcquire();
    }

    /** Waits in short slices so an abandoned vzdump stops queueing; false when {@code maxWait} ran out. */
    boolean acquire(ToolCall call, Duration maxWait) throws CallerGone {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            try {
                if (permit.tryAcquire(25, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallerGone();
            }
            call.checkCaller();
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
        }
    }

    void held(String owner) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, owner + "\n");
    }

    void release() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the semaphore is the lock; a stale file only misleads a human reader
        }
        permit.release();
    }
}
