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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs commands on hypervisors over SSH. A command can be prepared (its channel opened) and started later, so that
 * several commands can be released at one barrier with no connection set-up between them. Each command reports its
 * PID on the hypervisor first ({@link PidPreamble}), so that one past its timeout, or one killed on request, is
 * killed there with its whole process group: an OpenSSH sshd does not stop a command (without a pty) whose channel
 * closes.
 */
@ApplicationScoped
public class HypervisorClient {

    private static final Logger LOG = Logger.getLogger(HypervisorClient.class);
    /** The PID is the first thing the remote shell prints; this long without it, it is not coming. */
    private static final Duration PID_WAIT = Duration.ofSeconds(5);
    /** After a kill, how long the tool's last words may take to arrive. */
    private static final Duration LAST_WORDS = Duration.ofSeconds(2);

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
     * Runs a short command, not trusting the pooled connection: when the command cannot be run, it is tried once
     * more, on a new channel of the same connection when only its channel failed (the connection answers), on a new
     * connection when the old one turned out dead (it was discarded). The second failure is the answer.
     */
    public CommandResult runReconnectingOnce(HypervisorConnection hypervisor, String command) {
        try {
            return run(hypervisor, command);
        } catch (ChannelFailedException channel) {
            LOG.infof("%s: `%s` failed on its channel while the connection is alive (%s); trying once more on a new "
                    + "channel of the same connection", hypervisor.name(), command, channel.getMessage());
            return run(hypervisor, command);
        } catch (HypervisorUnreachableException dead) {
            LOG.infof("%s: `%s` failed, the connection is dead or could not be made (%s); reconnecting once",
                    hypervisor.name(), command, dead.getMessage());
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
            return start(command, PidPreamble.create());
        }

        /** The kill itself is not tracked: nothing would kill it in turn. */
        private RunningCommand startUntracked(String command) {
            return start(command, null);
        }

        private RunningCommand start(String command, PidPreamble preamble) {
            Instant dispatchedAt = clock.instant();
            try {
                Session.Command running = lease.session().exec(preamble == null ? command : preamble.wrap(command));
                var firstOutputAt = new CompletableFuture<Instant>();
                var remotePid = new CompletableFuture<Long>();
                var stdout = read(running.getInputStream(), firstOutputAt, null, new CompletableFuture<>());
                var stderr = read(running.getErrorStream(), firstOutputAt, preamble, remotePid);
                return new RunningCommand(hypervisor, lease, command, running,
                        new Output(stdout, stderr, firstOutputAt, remotePid), dispatchedAt);
            } catch (IOException e) {
                throw lease.failed("cannot start a command on " + SshConnectionPool.describe(hypervisor), e);
            }
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    private record Output(CompletableFuture<String> stdout, CompletableFuture<String> stderr,
                          CompletableFuture<Instant> firstOutputAt, CompletableFuture<Long> remotePid) {
    }

    /** A command on its way; {@link #await} collects its output and exit status, {@link #kill} stops it. */
    public final class RunningCommand {
        private final HypervisorConnection hypervisor;
        private final SshConnectionPool.Lease lease;
        private final String command;
        private final Session.Command running;
        private final Output output;
        private final Instant dispatchedAt;
        private final AtomicReference<String> killedBecause =
                new AtomicReference<>();
        private String killOutcome;

        private RunningCommand(HypervisorConnection hypervisor, SshConnectionPool.Lease lease, String command,
                               Session.Command running, Output output, Instant dispatchedAt) {
            this.hypervisor = hypervisor;
            this.lease = lease;
            this.command = command;
            this.running = running;
            this.output = output;
            this.dispatchedAt = dispatchedAt;
        }

        /** The moment the command went out on its channel, by the executor's clock. */
        public Instant dispatchedAt() {
            return dispatchedAt;
        }

        /** Completes with the moment the tool's first output reached the executor: the tool is running. */
        public CompletableFuture<Instant> firstOutput() {
            return output.firstOutputAt();
        }

        /** Completes when the command's output has ended (the tool exited or the channel closed). */
        public CompletableFuture<?> outputEnded() {
            return CompletableFuture.allOf(output.stdout(), output.stderr());
        }

        /**
         * Completes with the command's PID on the hypervisor, which is also its process group, as soon as its shell
         * reported it; with null if its output ended without it.
         */
        public CompletableFuture<Long> remotePid() {
            return output.remotePid();
        }

        /**
         * Kills the command on the hypervisor, its whole process group, on a new channel; its result then says
         * {@code why} and what the kill did. Returns that phrase. Killing it again only repeats the first answer.
         */
        public String kill(String why) {
            killedBecause.compareAndSet(null, why);
            String stopped = killedBecause.get() + "; " + killOnHypervisor();
            LOG.warnf("%s: `%s` %s", hypervisor.name(), command, stopped);
            return stopped;
        }

        /**
         * Waits for the command to end. Past {@code timeout} it is killed on the hypervisor with its process group,
         * its channel closed, and the result says so.
         */
        public CommandResult await(Duration timeout) {
            try {
                String out = output.stdout().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                String err = output.stderr().get(5, TimeUnit.SECONDS);
                running.join(5, TimeUnit.SECONDS);
                Integer status = running.getExitStatus();
                var result = result(status, out, err, stopped(status));
                LOG.debugf("%s: `%s` -> %s in %d ms", hypervisor.name(), command, status, result.took().toMillis());
                return result;
            } catch (TimeoutException e) {
                String stopped = kill("timed out after " + timeout.toSeconds() + " s");
                String out = lastWords(output.stdout());
                String err = lastWords(output.stderr());
                closeQuietly();
                return result(null, out, err, stopped);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly();
                throw new HypervisorUnreachableException("interrupted while `" + command + "` ran on "
                        + SshConnectionPool.describe(hypervisor), e);
            } catch (IOException | ExecutionException | RuntimeException e) {
                closeQuietly();
                throw lost(e);
            }
        }

        /**
         * The command's channel broke before it ended. On a real sshd the command runs on regardless, so it is killed
         * (on a new channel, or a new connection if this one is dead) before the failure is reported.
         */
        private HypervisorUnreachableException lost(Exception e) {
            var failure = lease.failed("lost `" + command + "` on " + SshConnectionPool.describe(hypervisor), e);
            String message = failure.getMessage() + "; " + killOnHypervisor();
            return failure instanceof ChannelFailedException ? new ChannelFailedException(message, e)
                    : new HypervisorUnreachableException(message, e);
        }

        private CommandResult result(Integer status, String out, String err, String stopped) {
            return new CommandResult(command, status, out, err, dispatchedAt,
                    Duration.between(dispatchedAt, clock.instant()), output.firstOutputAt().getNow(null), stopped);
        }

        /**
         * Why a command that ended was stopped: the reason it was killed for with what the kill did (waiting for a kill
         * under way), or the signal it died of (sshd reports a signal instead of an exit status); null if it exited.
         */
        private String stopped(Integer status) {
            String why = killedBecause.get();
            if (why != null) {
                return why + "; " + killOnHypervisor();
            }
            var signal = status == null ? running.getExitSignal() : null;
            return signal == null ? null : "killed by SIG" + signal.name() + " on the hypervisor";
        }

        private synchronized String killOnHypervisor() {
            if (killOutcome == null) {
                killOutcome = killProcessGroup();
            }
            return killOutcome;
        }

        private String killProcessGroup() {
            Long pid = reportedPid();
            if (pid == null) {
                return "it could not be killed on the hypervisor: its shell never reported its PID";
            }
            try {
                return killProcessGroup(pid);
            } catch (ChannelFailedException refused) {
                // the server's sessions may all be taken: this command's own channel makes room for the kill
                closeQuietly();
                try {
                    return killProcessGroup(pid);
                } catch (RuntimeException again) {
                    return killFailed(pid, again);
                }
            } catch (RuntimeException e) {
                return killFailed(pid, e);
            }
        }

        private String killProcessGroup(long pid) {
            try (var killer = prepare(hypervisor)) {
                return KillProcessGroup.outcome(pid, killer.startUntracked(KillProcessGroup.command(pid))
                        .await(commandTimeout));
            }
        }

        private static String killFailed(long pid, RuntimeException e) {
            return "killing its process group " + pid + " on the hypervisor failed: " + e.getMessage();
        }

        private Long reportedPid() {
            try {
                return output.remotePid().get(PID_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException | TimeoutException e) {
                return null;
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

    /** What a stream brought by now, waiting a moment for the last words of a tool just killed. */
    private static String lastWords(CompletableFuture<String> stream) {
        try {
            return stream.get(LAST_WORDS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stream.getNow("");
        } catch (ExecutionException | TimeoutException e) {
            return stream.getNow("");
        }
    }

    private CompletableFuture<String> read(InputStream stream, CompletableFuture<Instant> firstOutputAt,
                                           PidPreamble preamble, CompletableFuture<Long> remotePid) {
        return CompletableFuture.supplyAsync(() -> StreamedOutput.read(stream, clock, firstOutputAt, preamble,
                remotePid).text(), streamReaders);
    }
}
