package moonshot.stack;

import com.fasterxml.jackson.databind.JsonNode;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.Topics;
import moonshot.infra.KafkaProbe;
import moonshot.lab.SimulatedHost;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./run.sh demo}: on the embedded default, a nightly pair backup (the scheduler's clock is moved to the next
 * 01:00), a maintenance ticket with power-off and its completion, and the restore of a failed Controller, printing a
 * timeline. Every step is checked; the demo fails (exit 1) if any did not do what it should.
 */
final class DemoScenario {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private final LocalStack stack;
    private final Timeline timeline = new Timeline();
    private final String scheduler;
    private final String power;
    private final java.util.Set<String> printedSequences = new java.util.HashSet<>();

    DemoScenario(LocalStack stack) {
        this.stack = stack;
        this.scheduler = stack.url("scheduler");
        this.power = stack.url("power");
    }

    /** @return the number of failed checks (0 = every step did what it should) */
    int play() {
        try (var kafka = new KafkaProbe(stack.infrastructure().kafkaBootstrapServers())) {
            nightlyPairBackup();
            maintenanceWithPowerOff(kafka);
            restoreOfAFailedController();
        } catch (RuntimeException e) {
            timeline.check(false, "the scenario stopped: " + e.getMessage());
        }
        System.out.printf("%n%s%n", timeline.failures() == 0 ? "Demo finished: every step did what it should."
                : "Demo FAILED: " + timeline.failures() + " check(s) did not hold.");
        return timeline.failures();
    }

    private void nightlyPairBackup() {
        timeline.chapter("1. Nightly backup of the CONTROLLER + BAREMETAL pair, fired by the pair-nightly policy");
        List<String> before = ids(Api.get(scheduler + "/backups?scope=PAIR").body());
        Instant night = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(1))
                .plusSeconds(20);
        for (String host : List.of("mh-esxi", "mh-kvm")) {
            // the policy must exist before the clock passes its slot, or that slot is in its past and never fires
            Api.await(scheduler + "/policies?managementHost=" + host, policies -> hasEnabled(policies, "pair-nightly"),
                    PATIENCE, "the scheduler to hold " + host + "'s enabled pair-nightly policy before the clock moves");
        }
        timeline.event(null, "scheduler", null, "clock set to " + night + " (the demo does not wait for the night)");
        Api.put(scheduler + "/admin/clock", "{\"now\":\"" + night + "\"}");
        for (String host : List.of("mh-esxi", "mh-kvm")) {
            JsonNode run = Api.await(scheduler + "/backups?managementHost=" + host + "&scope=PAIR",
                    runs -> newest(runs, before) != null && terminal(newest(runs, before)), PATIENCE,
                    "the pair-nightly policy of " + host + " to fire at 01:00 and its PAIR run to end");
            JsonNode pair = newest(run, before);
            List<JsonNode> nodes = new ArrayList<>();
            pair.get("nodes").forEach(nodes::add);
            nodes.sort(java.util.Comparator.comparing(n -> String.valueOf(instant(n, "snapshotNotBefore"))));
            for (JsonNode node : nodes) {
                timeline.event(instant(node, "snapshotNotBefore"), host, node.get("role").asText(),
                        "snapshot of " + node.get("vmName").asText() + " began (seen by " + text(node,
                                "snapshotWitness") + " by " + text(node, "snapshotNotAfter") + ")");
            }
            for (JsonNode node : pair.get("nodes")) {
                timeline.event(instant(node, "finishedAt"), host, node.get("role").asText(),
                        node.get("state").asText() + ": " + text(node, "artifactPath") + " (" + text(node, "sizeBytes")
                                + " bytes)");
            }
            timeline.check("SUCCEEDED".equals(pair.get("state").asText()), host + " pair backup " + pair.get("state")
                    .asText() + ", skew " + text(pair, "skewMillis") + " ± " + text(pair, "skewPrecisionMillis") + " ms ("
                    + text(pair, "skewSource") + "), consistent " + text(pair, "consistency")
                    + (host.equals("mh-kvm") ? " (vzdump's per-host lock serialises the two snapshots on KVM)" : ""));
        }
    }

    private void maintenanceWithPowerOff(KafkaProbe kafka) {
        timeline.chapter("2. Maintenance ticket CHG-DEMO on mh-esxi with powerOff: backup, power off, ready; "
                + "completed: power on, finished");
        String ticket = "CHG-DEMO-" + Instant.now().getEpochSecond();
        Instant since = Instant.now();
        kafka.send(Topics.MAINTENANCE, "mh-esxi", maintenance(EventTypes.MAINTENANCE_SCHEDULED, ticket));
        timeline.event(null, "mh-esxi", null, "moonshot.maintenance.scheduled " + ticket + " published by the patch manager");
        awaitStatus(kafka, ticket, EventTypes.MAINTENANCE_READY);
        printSequences("mh-esxi", since);
        SimulatedHost esxi = stack.lab().host("esxi-01");
        timeline.check(List.of("Admin", "Ctrl", "Bm").stream().noneMatch(esxi::isPoweredOn),
                "every node of mh-esxi is off when ready is published");

        Instant completedAt = Instant.now();
        kafka.send(Topics.MAINTENANCE, "mh-esxi", maintenance(EventTypes.MAINTENANCE_COMPLETED, ticket));
        timeline.event(null, "mh-esxi", null, "moonshot.maintenance.completed " + ticket + " published");
        awaitStatus(kafka, ticket, EventTypes.MAINTENANCE_FINISHED);
        printSequences("mh-esxi", completedAt);
        timeline.check(List.of("Admin", "Ctrl", "Bm").stream().allMatch(esxi::isPoweredOn),
                "every node of mh-esxi is on again when finished is published");
    }

    private void restoreOfAFailedController() {
        timeline.chapter("3. The Controller of mh-esxi fails: restore it (and BAREMETAL, from the same set)");
        SimulatedHost esxi = stack.lab().host("esxi-01");
        List<String> macsBefore = new ArrayList<>(esxi.macs("Ctrl"));
        esxi.corrupt("Ctrl");
        timeline.event(null, "mh-esxi", "CONTROLLER", "Ctrl's disk is corrupted (lab)");
        var plan = Api.post(scheduler + "/restores",
                "{\"managementHost\":\"mh-esxi\",\"failedNodes\":[\"CONTROLLER\"],\"dryRun\":true}");
        timeline.check(plan.status() == 200, "dry run answered the plan (HTTP " + plan.status() + ")");
        if (plan.body() != null && plan.body().has("steps")) {
            for (JsonNode step : plan.body().get("steps")) {
                timeline.event(null, "plan", null, describe(step));
            }
        }
        var started = Api.post(scheduler + "/restores",
                "{\"managementHost\":\"mh-esxi\",\"failedNodes\":[\"CONTROLLER\"],\"dryRun\":false}");
        timeline.check(started.status() == 202, "restore started (HTTP " + started.status() + ")");
        String id = started.body().get("id").asText();
        JsonNode done = Api.await(scheduler + "/restores/" + id,
                r -> r.get("state").asText().matches("SUCCEEDED|FAILED|ABANDONED"), PATIENCE,
                "restore " + id + " of mh-esxi's Controller to end");
        for (JsonNode step : done.get("steps")) {
            timeline.event(null, "mh-esxi", null, describe(step));
        }
        timeline.check("SUCCEEDED".equals(done.get("state").asText()), "restore " + done.get("state").asText());
        timeline.check(macsBefore.equals(esxi.macs("Ctrl")), "Ctrl has its MACs back " + esxi.macs("Ctrl"));
        timeline.check(List.of("Admin", "Ctrl", "Bm").stream().allMatch(esxi::isPoweredOn),
                "the management host is back in service");
    }

    private void printSequences(String host, Instant since) {
        JsonNode sequences = Api.get(power + "/power-sequences?managementHost=" + host).body();
        if (sequences == null || !sequences.isArray()) {
            return;
        }
        for (JsonNode sequence : sequences) {
            if (!printedSequences.add(sequence.get("id").asText())) {
                continue;
            }
            timeline.event(null, host, null, "power " + text(sequence, "direction") + " sequence "
                    + text(sequence, "state"));
            for (JsonNode step : sequence.path("steps")) {
                timeline.event(null, host, null, "  " + describe(step));
            }
        }
    }

    private void awaitStatus(KafkaProbe kafka, String ticket, String type) {
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record;
        try {
            record = kafka.awaitRecord(Topics.MAINTENANCE_STATUS, r -> {
                CloudEvent event = CloudEventCodec.decode(r.value(), Map.of());
                return ticket.equals(event.subject()) && (type.equals(event.type())
                        || EventTypes.MAINTENANCE_BLOCKED.equals(event.type()));
            }, PATIENCE);
        } catch (AssertionError none) {
            throw new IllegalStateException("waited for ticket " + ticket + " to get " + type + " (or blocked) on "
                    + Topics.MAINTENANCE_STATUS + ": " + none.getMessage(), none);
        }
        CloudEvent event = CloudEventCodec.decode(record.value(), Map.of());
        timeline.event(null, "mh-esxi", null, event.type() + " " + ticket
                + (event.data().hasNonNull("reason") ? ": " + event.data().get("reason").asText() : ""));
        timeline.check(type.equals(event.type()), "the ticket got " + type);
    }

    private static String maintenance(String type, String ticket) {
        return CloudEventCodec.encode(CloudEvent.of("/codn/patch-manager", type, null,
                new MaintenanceRequest("mh-esxi", ticket, true, "ops@example.com"), Instant.now()));
    }

    private static final List<String> STEP_FIELDS = List.of("number", "order", "kind", "target", "role", "vmName",
            "description", "artifactPath", "state", "confirmedAt", "finishedAt", "message");

    /** A step's telling fields, in a fixed order. */
    private static String describe(JsonNode step) {
        List<String> parts = new ArrayList<>();
        for (String field : STEP_FIELDS) {
            JsonNode value = step.get(field);
            if (value != null && value.isValueNode() && !value.isNull()) {
                parts.add(field + "=" + value.asText());
            }
        }
        return String.join(" ", parts);
    }

    private static List<String> ids(JsonNode runs) {
        List<String> ids = new ArrayList<>();
        runs.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static JsonNode newest(JsonNode runs, List<String> exclude) {
        for (JsonNode run : runs) {
            if (!exclude.contains(run.get("id").asText())) {
                return run;
            }
        }
        return null;
    }

    private static boolean hasEnabled(JsonNode policies, String name) {
        for (JsonNode policy : policies) {
            if (name.equals(policy.path("name").asText()) && policy.path("enabled").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean terminal(JsonNode run) {
        return !run.get("state").asText().matches("QUEUED|RUNNING");
    }

    private static Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "n/a";
    }
}
