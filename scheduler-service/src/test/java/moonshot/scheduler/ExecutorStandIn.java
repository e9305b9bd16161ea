package moonshot.scheduler;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.VerifyArtifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the executor's read-only artifact check ({@code POST /artifacts/verify}) on a real HTTP port. It answers
 * "restorable" unless a test told it that an artifact is not ({@link #breakArtifact}), so the planner's handling of
 * a bad set can be seen; every request is kept. Global to the scheduler's tests, like the infrastructure.
 */
public class ExecutorStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, String> BROKEN = new ConcurrentHashMap<>();
    static final List<VerifyArtifacts> REQUESTS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** From now on, the artifact at {@code path} is reported unrestorable for {@code reason}. */
    static void breakArtifact(String path, String reason) {
        BROKEN.put(path, reason);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/artifacts/verify", exchange -> {
            try (exchange) {
                var request = CloudEventCodec.mapper().readValue(exchange.getRequestBody(), VerifyArtifacts.class);
                REQUESTS.add(request);
                var answer = request.artifacts().stream().map(a -> BROKEN.containsKey(a.artifactPath())
                        ? new VerifyArtifacts.Verified(a.artifactPath(), false, BROKEN.get(a.artifactPath()), null, null)
                        : new VerifyArtifacts.Verified(a.artifactPath(), true, null, a.sizeBytes(), a.sha256()))
                        .toList();
                byte[] body = CloudEventCodec.mapper().writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return Map.of("moonshot.scheduler.executor.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
