package moonshot.executor.ssh;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.config.ExecutorConfig;
import moonshot.ssh.NoDelaySocketFactory;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
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

/**
 * One authenticated SSH connection per hypervisor, shared by all sessions to it, with a bounded number of channels.
 * A connection is verified against the hypervisor's pinned host-key fingerprint and nothing else.
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

    /** Opens a session (a channel) on the hypervisor's connection, connecting first when needed. */
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
        try {
            SSHClient client = pooled.client(hypervisor, this);
            Session session = client.startSession();
            return new Lease(session, pooled.channels);
        } catch (IOException | RuntimeException e) {
            pooled.channels.release();
            pooled.discard();
            if (e instanceof HypervisorUnreachableException unreachable) {
                throw unreachable;
            }
            throw new HypervisorUnreachableException("cannot open an SSH session to " + describe(hypervisor) + ": "
                    + e.getMessage(), e);
        }
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

    /** Closes the hypervisor's pooled connection, if any; the next session connects anew. */
    void discard(HypervisorConnection hypervisor) {
        Pooled pooled = pool.get(hypervisor);
        if (pooled != null) {
            pooled.discard();
        }
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

    /** A session and the channel permit it holds. */
    record Lease(Session session, Semaphore permits) implements AutoCloseable {
        @Override
        public void close() {
            try {
                session.close();
            } catch (IOException ignored) {
                // the channel may already be closed by the remote side
            } finally {
                permits.release();
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

        synchronized void discard() {
            if (client != null) {
                closeQuietly(client);
                client = null;
            }
        }
    }
}
