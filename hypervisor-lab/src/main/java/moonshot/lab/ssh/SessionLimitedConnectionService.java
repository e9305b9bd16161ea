package moonshot.lab.ssh;

import java.io.IOException;
import java.util.function.IntSupplier;
import moonshot.lab.HostRuntime;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;

/**
 * OpenSSH's {@code MaxSessions}: a {@code session} channel opened while the connection already has that many is
 * refused as sshd refuses it ({@code SSH_MSG_CHANNEL_OPEN_FAILURE}, administratively prohibited, "open failed"), and
 * the connection with its other channels goes on. MINA's own channel limit would instead close the whole connection.
 */
final class SessionLimitedConnectionService extends ServerConnectionService {

    private final HostRuntime host;
    private final IntSupplier maxSessions;

    private SessionLimitedConnectionService(AbstractServerSession session, HostRuntime host, IntSupplier maxSessions)
            throws IOException {
        super(session);
        this.host = host;
        this.maxSessions = maxSessions;
    }

    @Override
    protected void channelOpen(Buffer buffer) throws Exception {
        int start = buffer.rpos();
        String type = buffer.getString();
        long sender = buffer.getUInt();
        long open = openSessions();
        int max = maxSessions.getAsInt();
        if ("session".equals(type) && open >= max) {
            host.log.append("ssh", "SESSION_REFUSED", "open", Long.toString(open), "maxSessions",
                    Integer.toString(max));
            sendChannelOpenFailure(buffer, sender, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed",
                    "");
            return;
        }
        buffer.rpos(start);
        super.channelOpen(buffer);
    }

    private long openSessions() {
        return getChannels().stream().filter(c -> c instanceof ChannelSession).filter(Channel::isOpen).count();
    }

    /** Installs the limit on a server in place of MINA's plain connection service. */
    static final class Factory extends ServerConnectionServiceFactory {
        private final HostRuntime host;
        private final IntSupplier maxSessions;

        Factory(HostRuntime host, IntSupplier maxSessions) {
            this.host = host;
            this.maxSessions = maxSessions;
        }

        @Override
        public Service create(Session session) throws IOException {
            var service = new SessionLimitedConnectionService((AbstractServerSession) session, host, maxSessions);
            service.addPortForwardingEventListenerManager(this);
            return service;
        }
    }
}
