package moonshot.executor.ssh;

import java.time.Duration;
import java.time.Instant;

/** What a remote command did. {@code exitStatus} is null when it was stopped by a timeout. */
public record CommandResult(String command, Integer exitStatus, String stdout, String stderr, Instant dispatchedAt,
                            Duration took) {

    public boolean succeeded() {
        return exitStatus != null && exitStatus == 0;
    }

    /**
     * The tool's own words for a failure: its error lines when it marks them ({@code ERROR…}, {@code error:…}),
     * else the tail of stderr, else the tail of stdout.
     */
    public String failureMessage() {
        String status = exitStatus == null ? "timed out after " + took.toSeconds() + " s" : "exited " + exitStatus;
        String errors = String.join("\n", (stderr + "\n" + stdout).lines()
                .filter(line -> line.startsWith("ERROR") || line.startsWith("error:"))
                .toList());
        String words = !errors.isBlank() ? errors : !stderr.isBlank() ? tail(stderr.strip(), 10) : tail(stdout.strip(), 5);
        return status + (words.isEmpty() ? "" : ": " + words);
    }

    private static String tail(String text, int lines) {
        var all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
