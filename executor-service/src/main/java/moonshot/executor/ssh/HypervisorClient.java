package moonshot.executor.ssh;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.config.ExecutorConfig;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on hypervisors over SSH. A command can be prepared (its channel opened) and started later, so that
 * several commands can be released at one barrier with no connection set-up between them.
 */
@ApplicationScoped
public class HypervisorClient {

    private static final Logger LOG = Logger.getLogger(HypervisorClient.class);

    private final SshConnectionPool pool;
    private final Clock clock;
    private final Duration commandTimeout;
    private final ExecutorService streamReaders = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "ssh-stream");
        thread.setDaemon(true);
        return thread;
    });

    HypervisorClient(SshConnectionPool pool, Clock clock, ExecutorConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.commandTimeout = config.ssh().commandTimeout();
    }

    /** Runs a short command with the default command timeout. */
    public CommandResult run(HypervisorConnection hypervisor, String command) {
        try (var prepared = prepare(hypervisor)) {
            return prepared.start(command).await(commandTimeout);
        }
    }

    /**
     * Runs a short command on a fresh session, not trusting the pooled connection: when the command cannot be run on
     * it (a connection that died without sshj noticing, a dropped session), the connection is discarded and the
     * command tried once more on a new one. The second failure is the answer.
     */
    public CommandResult runReconnectingOnce(HypervisorConnection hypervisor, String command) {
        try {
            return run(hypervisor, command);
        } catch (HypervisorUnreachableException stale) {
            LOG.infof("%s: `%s` failed on the pooled connection (%s); reconnecting once", hypervisor.name(), command,
                    stale.getMessage());
            pool.discard(hypervisor);
            return run(hypervisor, command);
        }
    }

    /** The hypervisors (as inventory described them) with an open pooled connection. */
    public java.util.Set<HypervisorConnection> connectedHypervisors() {
        return pool.connected();
    }

    /** Closes the idle connections to hypervisors not in {@code stillNeeded}; see {@link SshConnectionPool#retireUnused}. */
    public java.util.List<HypervisorConnection> retireConnectionsNotIn(java.util.Set<HypervisorConnection> stillNeeded) {
        return pool.retireUnused(stillNeeded);
    }

    /** Opens a channel for one command; nothing runs until {@link PreparedCommand#start}. */
    public PreparedCommand prepare(HypervisorConnection hypervisor) {
        return new PreparedCommand(hypervisor, pool.openSession(hypervisor));
    }

    /** An open channel waiting for its command. Close it when done (or if never started). */
    public final class PreparedCommand implements AutoCloseable {
        private final HypervisorConnection hypervisor;
        private final SshConnectionPool.Lease lease;

        private PreparedCommand(HypervisorConnection hypervisor, SshConnectionPool.Lease lease) {
            this.hypervisor = hypervisor;
            this.lease = lease;
        }

        /** Sends the command now and returns at once. */
        public RunningCommand start(String command) {
            Instant dispatchedAt = clock.instant();
            try {
                Session.Command running = lease.session().exec(command);
                var firstOutputAt = new CompletableFuture<Instant>();
                var stdout = read(running.getInputStream(), firstOutputAt);
                var stderr = read(running.getErrorStream(), firstOutputAt);
                return new RunningCommand(hypervisor, command, running, stdout, stderr, dispatchedAt, firstOutputAt);
            } catch (IOException e) {
                throw new HypervisorUnreachableException("cannot start a command on "
                        + SshConnectionPool.describe(hypervisor) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    /** A command on its way; {@link #await} collects its output and exit status. */
    public final class RunningCommand {
        private final HypervisorConnection hypervisor;
        private final String command;
        private final Session.Command running;
        private final CompletableFuture<String> stdout;
        private final CompletableFuture<String> stderr;
        private final Instant dispatchedAt;
        private final CompletableFuture<Instant> firstOutputAt;

        private RunningCommand(HypervisorConnection hypervisor, String command, Session.Command running,
                               CompletableFuture<String> stdout, CompletableFuture<String> stderr,
                               Instant dispatchedAt, CompletableFuture<Instant> firstOutputAt) {
            this.hypervisor = hypervisor;
            this.command = command;
            this.running = running;
            this.stdout = stdout;
            this.stderr = stderr;
            this.dispatchedAt = dispatchedAt;
            this.firstOutputAt = firstOutputAt;
        }

        /** The moment the command went out on its channel, by the executor's clock. */
        public Instant dispatchedAt() {
            return dispatchedAt;
        }

        /** Completes with the moment the tool's first output reached the executor: the tool is running. */
        public CompletableFuture<Instant> firstOutput() {
            return firstOutputAt;
        }

        /** Completes when the command's output has ended (the tool exited or the channel closed). */
        public CompletableFuture<?> outputEnded() {
            return CompletableFuture.allOf(stdout, stderr);
        }

        /** Waits for the command to end; past {@code timeout} the channel is closed and the result says so. */
        public CommandResult await(Duration timeout) {
            try {
                String out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                String err = stderr.get(5, TimeUnit.SECONDS);
                running.join(5, TimeUnit.SECONDS);
                Integer status = running.getExitStatus();
                var result = new CommandResult(command, status, out, err, dispatchedAt,
                        Duration.between(dispatchedAt, clock.instant()), firstOutputAt.getNow(null));
                LOG.debugf("%s: `%s` -> %s in %d ms", hypervisor.name(), command, status, result.took().toMillis());
                return result;
            } catch (java.util.concurrent.TimeoutException e) {
                closeQuietly();
                return new CommandResult(command, null, stdout.getNow(""), stderr.getNow(""), dispatchedAt,
                        Duration.between(dispatchedAt, clock.instant()), firstOutputAt.getNow(null));
            } catch (Exception e) {
                closeQuietly();
                throw new HypervisorUnreachableException("lost the command on " + SshConnectionPool.describe(hypervisor)
                        + ": " + e.getMessage(), e);
            }
        }

        private void closeQuietly() {
            try {
                running.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private CompletableFuture<String> read(InputStream stream, CompletableFuture<Instant> firstOutputAt) {
        return CompletableFuture.supplyAsync(() -> StreamedOutput.read(stream, clock, firstOutputAt).text(),
                streamReaders);
    }
}
