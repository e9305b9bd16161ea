package moonshot.executor.ssh;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.config.ExecutorConfig;
import moonshot.ssh.NoDelaySocketFactory;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One authenticated SSH connection per hypervisor, shared by all sessions to it, with a bounded number of channels.
 * A connection is verified against the hypervisor's pinned host-key fingerprint and nothing else. A failure of one
 * channel never closes the connection; only a dead transport does.
 */
@ApplicationScoped
class SshConnectionPool {

    private static final Logger LOG = Logger.getLogger(SshConnectionPool.class);

    private final ExecutorConfig.Ssh settings;
    private final DefaultConfig sshConfig = new DefaultConfig();
    private final Map<HypervisorConnection, Pooled> pool = new ConcurrentHashMap<>();

    SshConnectionPool(ExecutorConfig config) {
        this.settings = config.ssh();
        sshConfig.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    }

    /**
     * Opens a session (a channel) on the hypervisor's connection, connecting first when needed. A channel the server
     * refuses fails alone ({@link ChannelFailedException}); the connection is closed only when it is dead.
     */
    Lease openSession(HypervisorConnection hypervisor) {
        Pooled pooled = pool.computeIfAbsent(hypervisor, h -> new Pooled(new Semaphore(settings.maxChannelsPerHost())));
        try {
            if (!pooled.channels.tryAcquire(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HypervisorUnreachableException("all " + settings.maxChannelsPerHost() + " SSH channels to "
                        + describe(hypervisor) + " are busy", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorUnreachableException("interrupted while waiting for a channel", e);
        }
        SSHClient client;
        try {
            client = pooled.client(hypervisor, this);
        } catch (RuntimeException e) {
            pooled.channels.release();
            throw e instanceof HypervisorUnreachableException unreachable ? unreachable
                    : new HypervisorUnreachableException("cannot connect to " + describe(hypervisor) + ": "
                    + e.getMessage(), e);
        }
        try {
            return new Lease(hypervisor, pooled, client, client.startSession());
        } catch (IOException | RuntimeException e) {
            pooled.channels.release();
            throw failure(hypervisor, pooled, client, "cannot open an SSH channel to " + describe(hypervisor), e);
        }
    }

    /**
     * What a failed SSH operation on {@code client} means. When its transport is dead (sshj says so, or it no longer
     * answers a global request within the connect timeout) the pooled connection is discarded: every command on it is
     * lost anyway. Otherwise only that channel failed, and the connection with its other commands (a two-hour backup)
     * is kept.
     */
    private HypervisorUnreachableException failure(HypervisorConnection hypervisor, Pooled pooled, SSHClient client,
                                                   String doing, Exception e) {
        String why = doing + ": " + (e instanceof OpenFailException refused ? "the server refused it ("
                + refused.getReason() + ": " + refused.getMessage() + "; are all its MaxSessions in use?)"
                : e.getMessage());
        if (transportAlive(client, e)) {
            LOG.infof("%s: %s; only that channel failed: the connection is alive and kept with its other commands",
                    hypervisor.name(), why);
            return new ChannelFailedException(why + " (the connection is alive and kept)", e);
        }
        LOG.warnf("%s: %s; the connection is dead and is discarded", hypervisor.name(), why);
        pooled.discard(client);
        return new HypervisorUnreachableException(why, e);
    }

    private boolean transportAlive(SSHClient client, Exception e) {
        if (!client.isConnected() || causedBy(e, TransportException.class)) {
            return false;
        }
        return e instanceof OpenFailException || answers(client);
    }

    /** Whether the server still answers on this transport; any answer, even a refusal, proves it alive. */
    private boolean answers(SSHClient client) {
        try {
            return client.getConnection().sendGlobalRequest("keepalive@openssh.com", true, new byte[0])
                    .tryRetrieve(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS) != null;
        } catch (ConnectionException refused) {
            return client.isConnected();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the idle pooled connections to hypervisors (as they were described) that {@code stillNeeded} does not
     * hold: a hypervisor whose last host was removed, or whose address, user, key or host key changed. A connection
     * with a channel in use is left to finish and looked at again on the next call.
     *
     * @return the hypervisors whose connection was closed
     */
    List<HypervisorConnection> retireUnused(Set<HypervisorConnection> stillNeeded) {
        List<HypervisorConnection> retired = new ArrayList<>();
        pool.forEach((hypervisor, pooled) -> {
            if (!stillNeeded.contains(hypervisor)
                    && pooled.channels.availablePermits() == settings.maxChannelsPerHost()
                    && pool.remove(hypervisor, pooled)) {
                pooled.discard();
                retired.add(hypervisor);
            }
        });
        return retired;
    }

    /** The hypervisors (as described) this pool holds an open connection to. */
    Set<HypervisorConnection> connected() {
        Set<HypervisorConnection> connected = new java.util.HashSet<>();
        pool.forEach((hypervisor, pooled) -> {
            if (pooled.isConnected()) {
                connected.add(hypervisor);
            }
        });
        return connected;
    }

    private SSHClient connect(HypervisorConnection hypervisor) {
        Path key = keyFile(hypervisor);
        var client = new SSHClient(sshConfig);
        client.setSocketFactory(new NoDelaySocketFactory());
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.addHostKeyVerifier(hypervisor.hostKeyFingerprint());
        try {
            client.connect(hypervisor.address(), hypervisor.port());
            client.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            client.authPublickey(hypervisor.user(), client.loadKeys(key.toString()));
            LOG.infof("connected to hypervisor %s at %s:%d as %s (host key %s)", hypervisor.name(),
                    hypervisor.address(), hypervisor.port(), hypervisor.user(), hypervisor.hostKeyFingerprint());
            return client;
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw new HypervisorUnreachableException("cannot connect to " + describe(hypervisor) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The key is named by inventory but must live in the executor's key directory. */
    private Path keyFile(HypervisorConnection hypervisor) {
        Path dir = Path.of(settings.keyDir()).toAbsolutePath().normalize();
        Path key = dir.resolve(hypervisor.keyFile()).normalize();
        if (!key.getParent().equals(dir)) {
            throw new HypervisorUnreachableException("key file '" + hypervisor.keyFile()
                    + "' is not a plain file name in the key directory", null);
        }
        if (!Files.isReadable(key)) {
            throw new HypervisorUnreachableException("key file '" + hypervisor.keyFile() + "' of hypervisor "
                    + hypervisor.name() + " is not in the executor's key directory " + dir, null);
        }
        return key;
    }

    static String describe(HypervisorConnection h) {
        return "hypervisor " + h.name() + " (" + h.user() + "@" + h.address() + ":" + h.port() + ")";
    }

    @PreDestroy
    void closeAll() {
        pool.values().forEach(Pooled::discard);
        pool.clear();
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a connection that failed to open
        }
    }

    /** A channel, the connection it was opened on, and the channel permit it holds. Closing it twice is harmless. */
    final class Lease implements AutoCloseable {
        private final HypervisorConnection hypervisor;
        private final Pooled pooled;
        private final SSHClient client;
        private final Session session;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(HypervisorConnection hypervisor, Pooled pooled, SSHClient client, Session session) {
            this.hypervisor = hypervisor;
            this.pooled = pooled;
            this.client = client;
            this.session = session;
        }

        Session session() {
            return session;
        }

        /** What {@code e}, raised while {@code doing} something on this channel, means for its connection. */
        HypervisorUnreachableException failed(String doing, Exception e) {
            return failure(hypervisor, pooled, client, doing, e);
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                session.close();
            } catch (IOException ignored) {
                // the channel may already be closed by the remote side
            } finally {
                pooled.channels.release();
            }
        }
    }

    private static final class Pooled {
        final Semaphore channels;
        private SSHClient client;

        Pooled(Semaphore channels) {
            this.channels = channels;
        }

        synchronized SSHClient client(HypervisorConnection hypervisor, SshConnectionPool pool) {
            if (client == null || !client.isConnected() || !client.isAuthenticated()) {
                if (client != null) {
                    closeQuietly(client);
                }
                client = pool.connect(hypervisor);
            }
            return client;
        }

        synchronized boolean isConnected() {
            return client != null && client.isConnected();
        }

        /** Discards {@code dead} unless it was already replaced by a new connection. */
        synchronized void discard(SSHClient dead) {
            if (client == dead) {
                discard();
            }
        }

        synchronized void discard() {
            if (client != null) {
                closeQuietly(client);
                client = null;
            }
        }
    }
}
