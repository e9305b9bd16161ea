package moonshot.executor.run;

import moonshot.contract.HypervisorConnection;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.dialect.SnapshotWitness;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.ssh.HypervisorClient;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches a running backup's VM on the hypervisor until its snapshot is seen to begin, and says between which two
 * instants (the executor's clock) it began: after the last look that did not see it was sent (and never before the
 * command went out), and before the first look that saw it came back. A snapshot never seen while the tool ran (it
 * came and went between two looks) began before the tool exited. What a look costs is one short command on the
 * pooled connection; a look that fails tells nothing and moves no bound.
 */
final class WatchSnapshotStart {

    private static final Logger LOG = Logger.getLogger(WatchSnapshotStart.class);

    /** The snapshot began in {@code [notBefore, notAfter]}, as {@code source} showed it. */
    record Seen(Instant notBefore, Instant notAfter, String source) {
    }

    private final HypervisorClient client;
    private final Clock clock;
    private final ExecutorConfig.SnapshotWitness settings;

    WatchSnapshotStart(HypervisorClient client, Clock clock, ExecutorConfig.SnapshotWitness settings) {
        this.client = client;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Returns once the snapshot was seen or the tool's output ended. The first look waits for the tool's first output
     * (or its end, at most {@code fast-window}): a look while the pair's tools are still being started would
     * compete with them for the hypervisor's SSH server at the very moment their snapshots should start together.
     */
    Seen watch(HypervisorConnection hypervisor, SnapshotWitness witness, Set<String> before,
               HypervisorClient.RunningCommand backup) {
        Instant notBefore = backup.dispatchedAt();
        Instant fastUntil = notBefore.plus(settings.fastWindow());
        waitFor(CompletableFuture.anyOf(backup.firstOutput(), backup.outputEnded()), settings.fastWindow());
        while (true) {
            boolean ended = backup.outputEnded().isDone();
            Instant sent = clock.instant();
            Boolean appeared = look(hypervisor, witness, before);
            Instant answered = clock.instant();
            if (Boolean.TRUE.equals(appeared)) {
                return new Seen(notBefore, answered, witness.source());
            }
            if (ended) {
                return new Seen(notBefore, answered, witness.source() + ", bounded by the tool's exit");
            }
            if (Boolean.FALSE.equals(appeared) && sent.isAfter(notBefore)) {
                notBefore = sent;
            }
            waitForEnd(backup, sent.isBefore(fastUntil) ? settings.pollInterval() : settings.slowInterval());
        }
    }

    /** @return whether a new mark is there, or null when the look failed */
    private Boolean look(HypervisorConnection hypervisor, SnapshotWitness witness, Set<String> before) {
        try {
            CommandResult result = client.run(hypervisor, witness.pollCommand());
            if (!result.succeeded()) {
                LOG.debugf("%s: `%s` %s", hypervisor.name(), witness.pollCommand(), result.failureMessage());
                return null;
            }
            return witness.appeared(before, result.stdout());
        } catch (RuntimeException e) {
            LOG.debugf("%s: `%s` could not run: %s", hypervisor.name(), witness.pollCommand(), e.getMessage());
            return null;
        }
    }

    private static void waitForEnd(HypervisorClient.RunningCommand backup, Duration interval) {
        waitFor(backup.outputEnded(), interval);
    }

    private static void waitFor(CompletableFuture<?> event, Duration atMost) {
        try {
            event.get(atMost.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running (or its stream broke, which await() reports): look again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the snapshot", e);
        }
    }
}
