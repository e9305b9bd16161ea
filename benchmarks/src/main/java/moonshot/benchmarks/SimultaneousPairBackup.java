package moonshot.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The product's way, end to end: {@code POST /backups} with scope PAIR on the scheduler, then {@code GET
 * /backups/{id}} until the run is terminal. Everything between (Kafka, the executor, SSH, the barrier) is the
 * product's own.
 */
final class SimultaneousPairBackup {

    /**
     * The run as the scheduler closed it. {@code skewMillis} is the product's own figure (± {@code precisionMillis},
     * with its verdict): null when it recorded none; {@code skewFromTool} is false when a node's snapshot was not
     * witnessed on the hypervisor, in which case the scheduler only knows "between dispatch and end".
     */
    record Outcome(String runId, String state, Long skewMillis, Long precisionMillis, String verdict,
                   boolean skewFromTool, List<String> nodeMessages, Duration wall) {
        boolean succeeded() {
            return state.equals("SUCCEEDED");
        }

        String failure() {
            return "run " + runId + " ended " + state + ": " + String.join(" | ", nodeMessages);
        }
    }

    private static final Set<String> ACTIVE = Set.of("QUEUED", "RUNNING");
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String scheduler;
    private final String executor;

    SimultaneousPairBackup(String schedulerUrl, String executorUrl) {
        this.scheduler = schedulerUrl;
        this.executor = executorUrl;
    }

    /**
     * Waits until the executor knows the hypervisor (its check answers and reaches it over SSH), so that no
     * measured run fails only because an inventory announcement was still on its way.
     */
    void awaitExecutorKnows(String hypervisor, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            var response = send(HttpRequest.newBuilder(URI.create(executor + "/hypervisors/" + hypervisor + "/check"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200 && JSON.readTree(response.body()).path("reachable").asBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the executor did not learn hypervisor " + hypervisor + " within " + timeout
                + "; last answer: " + last);
    }

    /** One PAIR backup; its wall time runs from the accepted request to the first answer in a terminal state. */
    Outcome backUpPair(String managementHost, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Accepted accepted = request(managementHost, deadline);
        String runId = accepted.runId;
        while (true) {
            var response = send(HttpRequest.newBuilder(URI.create(scheduler + "/backups/" + runId)).GET());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /backups/" + runId + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonNode run = JSON.readTree(response.body());
            String state = run.path("state").asText();
            if (!ACTIVE.contains(state)) {
                JsonNode skew = run.path("skewMillis");
                List<String> messages = new ArrayList<>();
                boolean fromTool = run.path("nodes").size() == 2;
                for (JsonNode node : run.path("nodes")) {
                    fromTool &= node.path("snapshotWitness").isTextual();
                }
                run.path("nodes").forEach(node -> messages.add(node.path("vmName").asText() + " "
                        + node.path("state").asText() + (node.path("message").isTextual()
                        ? " (" + node.path("message").asText() + ")" : "")));
                JsonNode precision = run.path("skewPrecisionMillis");
                return new Outcome(runId, state, skew.isNumber() ? skew.asLong() : null,
                        precision.isNumber() ? precision.asLong() : null, run.path("consistency").asText(null),
                        fromTool, messages,
                        Duration.ofNanos(System.nanoTime() - accepted.sentNanos));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("run " + runId + " still " + state + " after " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The scheduler learns hosts from inventory events: until then it answers 400 on field managementHost. */
    private Accepted request(String managementHost, Instant deadline) throws IOException, InterruptedException {
        String body = """
                {"managementHost":"%s","scope":"PAIR","reason":"pair-skew benchmark"}""".formatted(managementHost);
        while (true) {
            long sentNanos = System.nanoTime();
            var response = send(HttpRequest.newBuilder(URI.create(scheduler + "/backups"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() == 202) {
                return new Accepted(JSON.readTree(response.body()).path("id").asText(), sentNanos);
            }
            boolean unknownHost = response.statusCode() == 400
                    && "managementHost".equals(JSON.readTree(response.body()).path("field").asText(null));
            if (!unknownHost || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("POST /backups for " + managementHost + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            Thread.sleep(500);
        }
    }

    private record Accepted(String runId, long sentNanos) {
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
