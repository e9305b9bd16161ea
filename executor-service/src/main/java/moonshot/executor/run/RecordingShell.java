package moonshot.executor.run;

import moonshot.contract.HypervisorConnection;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a driver's commands on one hypervisor over SSH, each on its own channel with its timeout, and keeps each
 * command with its exit status, so the execution can show exactly what ran.
 */
final class RecordingShell implements RemoteShell {

    private static final Logger LOG = Logger.getLogger(RecordingShell.class);

    private final HypervisorClient client;
    private final HypervisorConnection hypervisor;
    private final Duration commandTimeout;
    private final Duration longTimeout;
    private final List<String> transcript = new ArrayList<>();
    private final List<Integer> repeats = new ArrayList<>();
    private Instant firstDispatchedAt;

    RecordingShell(HypervisorClient client, HypervisorConnection hypervisor, Duration commandTimeout,
                   Duration longTimeout) {
        this.client = client;
        this.hypervisor = hypervisor;
        this.commandTimeout = commandTimeout;
        this.longTimeout = longTimeout;
    }

    @Override
    public CommandResult run(String command) {
        return run(command, commandTimeout);
    }

    @Override
    public CommandResult runLong(String command) {
        return run(command, longTimeout);
    }

    CommandResult run(String command, Duration timeout) {
        try (var prepared = client.prepare(hypervisor)) {
            CommandResult result = prepared.start(command).await(timeout);
            if (firstDispatchedAt == null) {
                firstDispatchedAt = result.dispatchedAt();
            }
            record(command + "   # " + (result.stopped() != null ? result.stopped() : "exit " + result.exitStatus()));
            LOG.debugf("%s: `%s` -> %s", hypervisor.name(), command, result.exitStatus());
            return result;
        } catch (RuntimeException e) {
            record(command + "   # failed: " + e.getMessage());
            throw e;
        }
    }

    /** A poll repeats one line many times: it is kept once, with how often it ran in a row. */
    private void record(String line) {
        int last = transcript.size() - 1;
        if (last >= 0 && transcript.get(last).equals(line)) {
            repeats.set(last, repeats.get(last) + 1);
        } else {
            transcript.add(line);
            repeats.add(1);
        }
    }

    /** Every command in order, each with {@code # exit <status>} (or why it failed), a repeated one with its count. */
    String transcript() {
        if (transcript.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < transcript.size(); i++) {
            lines.add(transcript.get(i) + (repeats.get(i) > 1 ? " (" + repeats.get(i) + " times)" : ""));
        }
        return String.join("\n", lines);
    }

    Instant firstDispatchedAt() {
        return firstDispatchedAt;
    }
}
