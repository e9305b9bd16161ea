package moonshot.lab.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.ExecutorService;
import moonshot.lab.Fault;
import moonshot.lab.HostRuntime;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;

/**
 * A simulated host's SSH daemon on 127.0.0.1: its own persisted host key, public-key auth for the lab's
 * client key as {@code root} only, exec requests run by a real shell each in its own session, and OpenSSH's
 * {@code MaxSessions} (ten by default) so a client that would exhaust a real host's sessions is refused a
 * channel here too, its connection kept.
 */
public final class HostSshServer implements AutoCloseable {
    public static final String USER = "root";
    private static final int OPENSSH_MAX_SESSIONS = 10;

    private final HostRuntime host;
    private final SshServer sshd;
    private final String fingerprint;
    private volatile int maxSessions = OPENSSH_MAX_SESSIONS;
    private volatile boolean killOnHangUp = true;

    public HostSshServer(HostRuntime host, PublicKey authorized, int port, ExecutorService threads) throws IOException {
        this.host = host;
        Files.createDirectories(host.layout.hostKey().getParent());
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(host.layout.hostKey());
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);
        List<KeyPair> pairs = keys.loadKeys(null);
        if (pairs.isEmpty()) {
            throw new IOException("no host key in " + host.layout.hostKey());
        }
        this.fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, pairs.get(0).getPublic());

        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(port);
        sshd.setKeyPairProvider(keys);
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(authorized, key));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setCommandFactory(new ShellCommandFactory(host, threads, () -> killOnHangUp));
        sshd.setServiceFactories(List.of(ServerUserAuthServiceFactory.INSTANCE,
                new SessionLimitedConnectionService.Factory(host, () -> maxSessions)));
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        // Closing the session at once rather than vetoing the accept: sshd leaves a vetoed socket open,
        // and the client would hang until its timeout instead of failing fast.
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                if (HostSshServer.this.host.faults.takeUnreachable()) {
                    HostSshServer.this.host.log.append("ssh", "CONNECTION_REFUSED", "fault", Fault.UNREACHABLE.name(),
                            "remote", String.valueOf(session.getIoSession().getRemoteAddress()));
                    session.close(true);
                }
            }
        });
    }

    public void start() throws IOException {
        sshd.start();
    }

    public int port() {
        return sshd.getPort();
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** sshd_config's {@code MaxSessions}: session channels allowed open at once on one connection. */
    public void setMaxSessions(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("MaxSessions must be at least 1, was " + max);
        }
        maxSessions = max;
    }

    /**
     * Whether closing a channel (or losing the connection) kills its command's process tree, the lab's default, or
     * only closes the command's stdin, stdout and stderr, as OpenSSH's sshd does for a command without a pty.
     */
    public void setKillOnHangUp(boolean kill) {
        killOnHangUp = kill;
    }

    /** An unreachable host takes its open connections down with it. */
    public void dropSessions() {
        for (AbstractSession session : sshd.getActiveSessions()) {
            session.close(true);
        }
        host.log.append("ssh", "SESSIONS_DROPPED", "fault", Fault.UNREACHABLE.name());
    }

    @Override
    public void close() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            // stopping anyway
        }
    }
}
