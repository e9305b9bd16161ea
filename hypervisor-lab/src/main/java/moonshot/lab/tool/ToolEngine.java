package moonshot.lab.tool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import moonshot.lab.HostRuntime;

/**
 * The lab JVM's side of every simulated tool: a loopback TCP server the {@code bin/} wrappers talk to.
 * One thread per call, because a backup blocks for its whole simulated duration.
 */
public final class ToolEngine implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService workers;
    private final Map<String, HostRuntime> hosts = new ConcurrentHashMap<>();
    private final Thread acceptor;

    private ToolEngine(ServerSocket server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
        this.acceptor = new Thread(this::acceptLoop, "lab-tool-engine");
        this.acceptor.setDaemon(true);
    }

    public static ToolEngine start(ExecutorService workers) throws IOException {
        ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        ToolEngine engine = new ToolEngine(server, workers);
        engine.acceptor.start();
        return engine;
    }

    public int port() {
        return server.getLocalPort();
    }

    public void register(HostRuntime host) {
        hosts.put(host.name, host);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                workers.execute(() -> serve(socket));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            ToolRequest request = ToolRequest.read(in);
            HostRuntime host = hosts.get(request.host());
            Tool tool = host == null ? null : host.tool(request.tool());
            if (tool == null) {
                refuse(socket.getOutputStream(), request);
                return;
            }
            run(host, tool, new ToolCall(host, request, new BufferedSocket(socket, in)));
        } catch (IOException e) {
            // A wrapper that died before finishing its request: nothing was started, nothing to log.
        }
    }

    private static void run(HostRuntime host, Tool tool, ToolCall call) {
        call.log("INVOKED", "args", ShellQuote.words(call.args), "cwd", call.cwd.toString());
        int code;
        try {
            code = tool.run(call);
        } catch (CallerGone gone) {
            call.log("ABORTED", call.progressDetails());
            return;
        } catch (IOException | RuntimeException e) {
            call.log("LAB_ERROR", "error", String.valueOf(e));
            try {
                call.errLine(call.tool + ": " + e.getMessage());
            } catch (CallerGone ignored) {
                return;
            }
            code = 1;
        }
        call.log("EXITED", "exit", Integer.toString(code));
        call.exit(code);
    }

    private static void refuse(OutputStream out, ToolRequest request) throws IOException {
        String message = request.tool() + ": not a tool of simulated host " + request.host() + "\n";
        OutputStream o = new BufferedOutputStream(out);
        o.write(("printf '%s' " + ShellQuote.single(message) + " >&2").getBytes(StandardCharsets.UTF_8));
        o.write(0);
        o.write("exit 127".getBytes(StandardCharsets.UTF_8));
        o.write(0);
        o.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The request was read through a buffer; the liveness check must read through the same one. */
    static final class BufferedSocket {
        final Socket socket;
        final InputStream in;

        BufferedSocket(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }
    }
}
