package moonshot.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The lab's readiness endpoint, one per lab on 127.0.0.1: {@code GET /ready/<host>/<vm>} answers
 * {@code 200 Deployed} for a VM the Admin dashboard stand-in reports Deployed, and 503 with
 * {@code Deploying}, {@code Off} or {@code Unknown} otherwise; an unknown host or any other path is 404.
 */
final class ReadinessServer implements AutoCloseable {
    static final String PREFIX = "/ready/";

    /** The status of a VM on a host; empty when the lab has no such host. */
    interface Lookup {
        Optional<Deployments.Status> status(String host, String vm);
    }

    private final HttpServer server;

    private ReadinessServer(HttpServer server) {
        this.server = server;
    }

    static ReadinessServer start(Lookup lookup, Executor threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> handle(exchange, lookup));
        server.setExecutor(threads);
        server.start();
        return new ReadinessServer(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String host, String vm) {
        return "http://127.0.0.1:" + port() + PREFIX + host + "/" + vm;
    }

    private static void handle(HttpExchange exchange, Lookup lookup) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "Method Not Allowed", false);
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/", -1) : new String[0];
            if (parts.length != 2 || !Names.isVmName(parts[0]) || !Names.isVmName(parts[1])) {
                reply(exchange, 404, "Not Found: use " + PREFIX + "<host>/<vm>", head);
                return;
            }
            Optional<Deployments.Status> status;
            try {
                status = lookup.status(parts[0], parts[1]);
            } catch (RuntimeException e) {
                reply(exchange, 500, String.valueOf(e), head);
                return;
            }
            if (status.isEmpty()) {
                reply(exchange, 404, "Not Found: no simulated host " + parts[0], head);
            } else {
                Deployments.Status s = status.get();
                reply(exchange, s == Deployments.Status.DEPLOYED ? 200 : 503, s.word, head);
            }
        }
    }

    private static void reply(HttpExchange exchange, int code, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (head) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
