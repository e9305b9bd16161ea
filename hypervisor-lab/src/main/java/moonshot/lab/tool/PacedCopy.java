package moonshot.lab.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Copies a disk in steps spread over the simulated duration, checking the caller between steps, so an
 * aborted backup leaves a genuinely partial file and a full disk can strike half-way.
 */
public final class PacedCopy {
    private static final Duration STEP = Duration.ofMillis(25);
    private static final int MAX_STEPS = 200;

    public interface Progress {
        void at(long done, long total) throws CallerGone;
    }

    private PacedCopy() {
    }

    /** @return false when the simulated full disk stopped it half-way */
    public static boolean copy(ToolCall call, InputStream in, OutputStream out, long size, Duration duration,
                        boolean diskFull, Progress progress) throws IOException, CallerGone {
        int steps = (int) Math.max(1, Math.min(MAX_STEPS, duration.toNanos() / STEP.toNanos()));
        if (size > 0) {
            steps = (int) Math.min(steps, size);
        }
        long chunk = size == 0 ? 0 : (size + steps - 1) / steps;
        Duration perStep = duration.dividedBy(steps);
        long done = 0;
        for (int i = 0; i < steps; i++) {
            if (diskFull && done >= size / 2) {
                out.flush();
                return false;
            }
            long n = Math.min(chunk, size - done);
            if (n > 0) {
                byte[] bytes = in.readNBytes((int) n);
                out.write(bytes);
                done += bytes.length;
            }
            out.flush();
            progress.at(done, size);
            call.pause(perStep);
        }
        return true;
    }

    /** vzdump's and qmrestore's way of writing sizes: {@code 64.0 KiB}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
