package moonshot.lab.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import moonshot.lab.HostRuntime;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * Every exec request becomes a real {@code /bin/sh -c} on the host's root, with its tools on the PATH, started by
 * util-linux's {@code setsid} in a session of its own as sshd starts it: the shell's PID is its process group, so a
 * client's {@code kill -TERM -<pid>} reaches the command and what it started, never the lab's JVM.
 */
final class ShellCommandFactory implements CommandFactory {
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final HostRuntime host;
    private final ExecutorService threads;
    private final BooleanSupplier killOnHangUp;
    private final Path setsid;

    ShellCommandFactory(HostRuntime host, ExecutorService threads, BooleanSupplier killOnHangUp) {
        this.host = host;
        this.threads = threads;
        this.killOnHangUp = killOnHangUp;
        this.setsid = SETSID.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
                new IllegalStateException("the lab needs util-linux's setsid (" + SETSID + ") to start each command "
                        + "in a session of its own, as sshd does"));
    }

    @Override
    public Command createCommand(ChannelSession channel, String command) {
        return new ShellCommand(host, command, threads, setsid, killOnHangUp);
    }
}
