package moonshot.executor.ssh;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a remote command did. {@code exitStatus} is null when it did not exit by itself: then {@code stopped} says what
 * stopped it (its timeout or a kill, and what killing its process group on the hypervisor did). {@code firstOutputAt}
 * is when its first byte of output (either stream) reached the executor, null when it printed nothing.
 */
public record CommandResult(String command, Integer exitStatus, String stdout, String stderr, Instant dispatchedAt,
                            Duration took, Instant firstOutputAt, String stopped) {

    public CommandResult(String command, Integer exitStatus, String stdout, String stderr, Instant dispatchedAt,
                         Duration took) {
        this(command, exitStatus, stdout, stderr, dispatchedAt, took, null, null);
    }

    public boolean succeeded() {
        return exitStatus != null && exitStatus == 0;
    }

    /** When the command ended (or was stopped), by the executor's clock. */
    public Instant endedAt() {
        return dispatchedAt.plus(took);
    }

    /**
     * The tool's own words for a failure and its exit status (or what stopped it): every line of stderr and the lines of stdout that
     * a tool marks as errors ({@code ERROR:}, {@code Error:}, {@code error:}), the last ones if there are many; the
     * tail of stdout when the tool said nothing else.
     */
    public String failureMessage() {
        String status = stopped != null ? stopped + (exitStatus != null ? " (exit status " + exitStatus + ")" : "")
                : exitStatus != null ? "exited " + exitStatus : "ended without an exit status";
        List<String> errors = new java.util.ArrayList<>(stderr.strip().lines().filter(l -> !l.isBlank()).toList());
        stdout.lines().filter(CommandResult::isErrorLine).forEach(errors::add);
        String words = !errors.isEmpty() ? tail(errors, 15) : tail(stdout.strip().lines().toList(), 5);
        return status + (words.isEmpty() ? "" : ": " + words);
    }

    static boolean isErrorLine(String line) {
        String l = line.stripLeading();
        return l.startsWith("ERROR") || l.startsWith("Error:") || l.startsWith("error:") || l.startsWith("Error ");
    }

    private static String tail(List<String> lines, int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
