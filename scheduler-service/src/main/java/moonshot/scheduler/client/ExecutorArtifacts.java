package moonshot.scheduler.client;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.VerifyArtifacts;
import moonshot.scheduler.config.SchedulerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The executor's read-only artifact check ({@code POST /artifacts/verify}), with a connect timeout and the verify
 * timeout. Any failure to get an answer is an {@link Unavailable} with the reason: the caller must treat the
 * artifacts as unchecked, never as restorable.
 */
@ApplicationScoped
public class ExecutorArtifacts {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI verify;
    private final Duration timeout;

    ExecutorArtifacts(SchedulerConfig config) {
        this.verify = URI.create(config.executor().url().replaceAll("/+$", "") + "/artifacts/verify");
        this.timeout = config.executor().verifyTimeout();
    }

    public List<VerifyArtifacts.Verified> verify(VerifyArtifacts request) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(verify).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CloudEventCodec.mapper().writeValueAsString(request)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("the executor answered " + response.statusCode() + " to " + verify + ": "
                        + response.body());
            }
            List<VerifyArtifacts.Verified> answer = CloudEventCodec.mapper().readValue(response.body(),
                    CloudEventCodec.mapper().getTypeFactory().constructCollectionType(List.class,
                            VerifyArtifacts.Verified.class));
            if (answer.size() != request.artifacts().size()) {
                throw new Unavailable("the executor answered for " + answer.size() + " of "
                        + request.artifacts().size() + " artifacts");
            }
            return answer;
        } catch (IOException e) {
            throw new Unavailable("the executor at " + verify + " could not be asked: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking the executor at " + verify);
        }
    }

    /** No answer from the executor: the artifacts are unchecked. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
