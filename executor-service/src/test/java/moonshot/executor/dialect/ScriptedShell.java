package moonshot.executor.dialect;

import moonshot.executor.ssh.CommandResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hypervisor that answers exactly the commands it was told to expect, in order of arrival per command (the last
 * answer repeats), and remembers every command a driver ran: any other command fails the test.
 */
public final class ScriptedShell implements RemoteShell {

    private final Map<String, Deque<CommandResult>> answers = new HashMap<>();
    private final List<String> ran = new ArrayList<>();
    private final List<String> ranLong = new ArrayList<>();

    public ScriptedShell answer(String command, String stdout) {
        return answer(command, 0, stdout, "");
    }

    public ScriptedShell answer(String command, int exitStatus, String stdout, String stderr) {
        answers.computeIfAbsent(command, c -> new ArrayDeque<>()).add(new CommandResult(command, exitStatus, stdout,
                stderr, Instant.EPOCH, Duration.ofMillis(5)));
        return this;
    }

    @Override
    public CommandResult run(String command) {
        ran.add(command);
        return next(command);
    }

    @Override
    public CommandResult runLong(String command) {
        ran.add(command);
        ranLong.add(command);
        return next(command);
    }

    /** Every command, in order. */
    public List<String> ran() {
        return ran;
    }

    /** The commands run with the long (restore) timeout. */
    public List<String> ranLong() {
        return ranLong;
    }

    private CommandResult next(String command) {
        Deque<CommandResult> queue = answers.get(command);
        if (queue == null || queue.isEmpty()) {
            throw new AssertionError("unexpected command `" + command + "` after " + ran);
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }
}
