package moonshot.stack;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Prints what happened to which node, when, as the demo plays. */
final class Timeline {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Instant start = Instant.now();
    private int failures;

    void chapter(String title) {
        System.out.printf("%n=== %s ===%n", title);
    }

    void event(Instant at, String host, String node, String what) {
        System.out.printf("  %s  +%6.1f s  %-8s %-11s %s%n", CLOCK.format(at == null ? Instant.now() : at),
                Duration.between(start, at == null ? Instant.now() : at).toMillis() / 1000.0, host,
                node == null ? "" : node, what);
    }

    void check(boolean ok, String what) {
        System.out.printf("  %s %s%n", ok ? "✔" : "✘", what);
        if (!ok) {
            failures++;
        }
    }

    int failures() {
        return failures;
    }
}
