package moonshot.lab.ssh;

import java.util.concurrent.ExecutorService;
import moonshot.lab.HostRuntime;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/** Every exec request becomes a real {@code /bin/sh -c} on the host's root, with its tools on the PATH. */
final class ShellCommandFactory implements CommandFactory {
    private final HostRuntime host;
    private final ExecutorService threads;

    ShellCommandFactory(HostRuntime host, ExecutorService threads) {
        this.host = host;
        this.threads = threads;
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        return new ShellCommand(host, command, threads);
    }
}
