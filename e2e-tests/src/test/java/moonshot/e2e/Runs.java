package moonshot.e2e;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Small steps the end-to-end tests share: asking for runs, waiting for them, reading the lab's witness log. */
final class Runs {

    private Runs() {
    }

    /** Waits until the scheduler has a run of {@code host} with {@code scope} that is not {@code exclude}; returns its id. */
    static String awaitNewRun(String scheduler, String host, String scope, List<String> exclude) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            List<String> ids = given().get(scheduler + "/backups?managementHost=" + host + "&scope=" + scope).then()
                    .extract().path("id");
            for (String candidate : ids) {
                if (!exclude.contains(candidate)) {
                    id[0] = candidate;
                    return true;
                }
            }
            return false;
        });
        return id[0];
    }

    static JsonPath awaitTerminal(String scheduler, String runId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() ->
                !given().get(scheduler + "/backups/" + runId).path("state").toString().matches("QUEUED|RUNNING"));
        return given().get(scheduler + "/backups/" + runId).then().statusCode(200).extract().jsonPath();
    }

    static List<String> runIds(String scheduler, String host) {
        return given().get(scheduler + "/backups?managementHost=" + host).then().extract().path("id");
    }

    /** Asks for a backup now, retrying while the scheduler has not heard of the host or a node is still busy. */
    static String request(String scheduler, String host, String scope) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var response = given().contentType(ContentType.JSON)
                    .body("{\"managementHost\":\"" + host + "\",\"scope\":\"" + scope + "\",\"reason\":\"e2e\"}")
                    .post(scheduler + "/backups");
            id[0] = response.statusCode() == 202 ? response.path("id") : null;
            return id[0] != null;
        });
        return id[0];
    }

    /** Waits until no run of {@code hosts} is queued or running (a clock move may have fired some). */
    static void awaitIdle(String scheduler, String... hosts) {
        for (String host : hosts) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                    given().get(scheduler + "/backups?managementHost=" + host).then().extract().<List<String>>path(
                            "state").stream().noneMatch(state -> state.matches("QUEUED|RUNNING")));
        }
    }

    /** The scheduler's settable clock as it reads now (other tests may have moved it forward). */
    static Instant clock(String scheduler) {
        return Instant.parse(given().get(scheduler + "/admin/clock").then().statusCode(200).extract().path("now"));
    }

    /** The first {@code hour}:00 UTC strictly after {@code after}. */
    static Instant nextAt(Instant after, int hour) {
        Instant candidate = after.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(hour));
        return candidate.isAfter(after) ? candidate : candidate.plus(Duration.ofDays(1));
    }

    /** The latest lab entry of {@code action} for {@code vm} at or after {@code since}. */
    static Instant labMoment(SimulatedHost host, String action, String vm, Instant since) {
        List<LabAction> found = host.actions().stream()
                .filter(a -> a.action().equals(action) && vm.equals(a.details().get("vm")) && !a.at().isBefore(since))
                .toList();
        if (found.isEmpty()) {
            throw new AssertionError("the lab has no " + action + " for " + vm + " since " + since);
        }
        return found.get(found.size() - 1).at();
    }
}
