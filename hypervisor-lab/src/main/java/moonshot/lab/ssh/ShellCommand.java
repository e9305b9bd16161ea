package moonshot.lab.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import moonshot.lab.HostRuntime;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One SSH exec: {@code setsid -w /bin/sh -c <command>} with the host's {@code bin/} first on the PATH, pumping
 * stdin, stdout and stderr and reporting the exit status; the shell leads its own session and process group, as
 * under sshd. When the channel closes first (hang-up), the lab by default kills the whole process tree, which is how
 * the tool engine learns that its caller is gone. OpenSSH's sshd does not: a command without a pty only loses its
 * stdin, stdout and stderr and dies of SIGPIPE when it next writes, or runs on. With kill-on-hang-up off the lab
 * does the same (closing its ends of the pipes; a write already under way may still go through once).
 */
final class ShellCommand implements Command {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final HostRuntime host;
    private final String command;
    private final ExecutorService threads;
    private final Path setsid;
    private final BooleanSupplier killOnHangUp;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(HostRuntime host, String command, ExecutorService threads, Path setsid,
                 BooleanSupplier killOnHangUp) {
        this.host = host;
        this.command = command;
        this.threads = threads;
        this.setsid = setsid;
        this.killOnHangUp = killOnHangUp;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        // -w: should setsid have to fork (it does not under a JVM), it waits and passes the shell's exit status on.
        ProcessBuilder builder = new ProcessBuilder(setsid.toString(), "-w", "/bin/sh", "-c", command)
                .directory(host.layout.root.toFile());
        Map<String, String> environment = builder.environment();
        String path = System.getenv("PATH");
        environment.put("PATH", host.layout.bin() + ":" + (path == null || path.isEmpty() ? DEFAULT_PATH : path));
        environment.put("HOME", host.layout.root.toString());
        environment.put("USER", "root");
        environment.put("LOGNAME", "root");
        environment.put("PWD", host.layout.root.toString());
        Process p = builder.start();
        process = p;
        host.log.append("ssh", "EXEC", "command", command, "pid", Long.toString(p.pid()));
        Future<?> stdout = threads.submit(() -> pump(p.getInputStream(), out));
        Future<?> stderr = threads.submit(() -> pump(p.getErrorStream(), err));
        threads.submit(() -> {
            pump(in, p.getOutputStream());
            closeQuietly(p.getOutputStream());
        });
        threads.submit(() -> {
            int code = waitFor(p);
            await(stdout);
            await(stderr);
            host.log.append("ssh", "EXITED", "exit", Integer.toString(code));
            exit.onExit(code);
        });
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        if (killOnHangUp.getAsBoolean()) {
            // Children first: once the shell is gone they are re-parented and out of reach.
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            host.log.append("ssh", "KILLED", "command", command, "reason", "channel closed");
        } else {
            closeQuietly(p.getOutputStream());
            closeQuietly(p.getInputStream());
            closeQuietly(p.getErrorStream());
            host.log.append("ssh", "HUNG_UP", "command", command, "pid", Long.toString(p.pid()));
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // one side closed: the copy is over either way
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (Exception e) {
            // the pump ended; nothing more to wait for
        }
    }

    private static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
