package moonshot.power.service;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.power.config.PowerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a node's readiness probe once: {@code http(s)://…} answers 2xx, or {@code tcp://host:port} accepts a connect. */
@ApplicationScoped
public class ReadinessProbes {

    /** Whether the probe answered, and what was seen (for the step's message). */
    public record Answer(boolean answered, String detail) {
    }

    private final Duration timeout;
    private final HttpClient http;

    ReadinessProbes(PowerConfig config) {
        this.timeout = config.probeTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public Answer ask(String probe) {
        URI uri;
        try {
            uri = URI.create(probe);
        } catch (IllegalArgumentException e) {
            return new Answer(false, "not a usable probe: " + e.getMessage());
        }
        return "tcp".equals(uri.getScheme()) ? connect(uri) : get(uri);
    }

    private Answer get(URI uri) {
        try {
            int status = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Answer(status >= 200 && status < 300, "HTTP " + status);
        } catch (IOException e) {
            return new Answer(false, "GET failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, "interrupted");
        }
    }

    private Answer connect(URI uri) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
            return new Answer(true, "TCP connect to " + uri.getHost() + ":" + uri.getPort());
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(false, "TCP connect failed: " + e.getMessage());
        }
    }
}
