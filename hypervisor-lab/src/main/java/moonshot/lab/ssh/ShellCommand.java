package moonshot.lab.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import moonshot.lab.HostRuntime;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * One SSH exec: {@code /bin/sh -c <command>} with the host's {@code bin/} first on the PATH, pumping
 * stdin, stdout and stderr and reporting the exit status. When the channel closes first, the whole
 * process tree is killed, as sshd's session teardown would, which is how the tool engine learns that
 * its caller is gone.
 */
final class ShellCommand implements Command {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final HostRuntime host;
    private final String command;
    private final ExecutorService threads;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(HostRuntime host, String command, ExecutorService threads) {
        this.host = host;
        this.command = command;
        this.threads = threads;
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
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).directory(host.layout.root.toFile());
        Map<String, String> environment = builder.environment();
        String path = System.getenv("PATH");
        environment.put("PATH", host.layout.bin() + ":" + (path == null || path.isEmpty() ? DEFAULT_PATH : path));
        environment.put("HOME", host.layout.root.toString());
        environment.put("USER", "root");
        environment.put("LOGNAME", "root");
        environment.put("PWD", host.layout.root.toString());
        host.log.append("ssh", "EXEC", "command", command);
        Process p = builder.start();
        process = p;
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
        if (p != null && p.isAlive()) {
            // Children first: once the shell is gone they are re-parented and out of reach.
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            host.log.append("ssh", "KILLED", "command", command, "reason", "channel closed");
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

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
