package moonshot.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far apart a pair's two snapshots began, from what witnessed each: an interval per node in which its snapshot
 * began. The skew is the distance between the intervals' midpoints, give or take {@code precisionMillis} (half their
 * widths together); the verdict is {@code true} only when even the farthest the evidence allows is within the
 * threshold, {@code false} only when even the nearest is beyond it, and {@code unknown} in between — never better
 * than the evidence.
 */
public record PairSkew(long skewMillis, long precisionMillis, String source, Boolean consistent) {

    /** A node's evidence: its snapshot began in {@code [notBefore, notAfter]}, as {@code source} saw it. */
    public record Window(Instant notBefore, Instant notAfter, String source) {
        public Window {
            if (notAfter.isBefore(notBefore)) {
                throw new IllegalArgumentException("a window ends before it starts: " + notBefore + " > " + notAfter);
            }
        }

        long startMicros() {
            return micros(notBefore);
        }

        long endMicros() {
            return micros(notAfter);
        }

        private static long micros(Instant at) {
            return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000L;
        }
    }

    public static PairSkew of(Window a, Window b, Duration threshold) {
        long farthest = Math.max(a.endMicros() - b.startMicros(), b.endMicros() - a.startMicros());
        long nearest = Math.max(0, Math.max(b.startMicros() - a.endMicros(), a.startMicros() - b.endMicros()));
        long midA = (a.startMicros() + a.endMicros()) / 2;
        long midB = (b.startMicros() + b.endMicros()) / 2;
        long skew = Math.abs(midA - midB);
        long precision = ((a.endMicros() - a.startMicros()) + (b.endMicros() - b.startMicros()) + 1) / 2;
        long limit = threshold.toNanos() / 1_000L;
        Boolean consistent = farthest <= limit ? Boolean.TRUE : nearest > limit ? Boolean.FALSE : null;
        String source = a.source().equals(b.source()) ? a.source() : a.source() + " / " + b.source();
        return new PairSkew(Math.round(skew / 1000.0), (precision + 999) / 1000, source, consistent);
    }

    /** {@code true}, {@code false} or {@code unknown}, as the public contract words the verdict. */
    public String verdict() {
        return consistent == null ? "unknown" : consistent.toString();
    }

    /** The evidence a node's result gives: its witnessed window, else no more than "between dispatch and end". */
    static Optional<Window> windowOf(NodeBackup node) {
        if (node.snapshotNotBefore != null && node.snapshotNotAfter != null && node.snapshotWitness != null) {
            return Optional.of(new Window(node.snapshotNotBefore, node.snapshotNotAfter, node.snapshotWitness));
        }
        if (node.dispatchedAt != null && node.finishedAt != null && !node.finishedAt.isBefore(node.dispatchedAt)) {
            return Optional.of(new Window(node.dispatchedAt, node.finishedAt, "dispatch and end of the backup"));
        }
        return Optional.empty();
    }
}
