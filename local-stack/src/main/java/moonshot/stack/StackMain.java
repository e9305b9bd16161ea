package moonshot.stack;

import moonshot.lab.SimulatedHost;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code ./run.sh}: starts the embedded default, prints where to look, and runs until Ctrl-C or SIGTERM. */
public final class StackMain {

    private StackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("moonshot.root", ".")).toAbsolutePath().normalize();
        boolean demo = args.length > 0 && args[0].equals("demo");
        System.out.println("Starting Kafka, PostgreSQL, the hypervisor lab and the four services …");
        StackOptions options = StackOptions.embeddedDefault(root);
        if (demo) {
            options = options.forDemo();
        }
        int replicas = replicas();
        for (String service : java.util.List.of("executor", "scheduler", "power")) {
            // the demo's settable clock lives in one scheduler's memory
            if (!(demo && service.equals("scheduler"))) {
                options = options.withReplicas(service, replicas);
            }
        }
        LocalStack stack = LocalStack.start(options);
        if (demo) {
            print(stack, root);
            int failures;
            try {
                failures = new DemoScenario(stack).play();
            } finally {
                stack.close();
            }
            System.exit(failures == 0 ? 0 : 1);
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the stack …");
            stack.close();
            stopped.countDown();
        }, "stack-shutdown"));
        print(stack, root);
        stopped.await();
    }

    /** {@code MOONSHOT_REPLICAS} (1 to 9, default 1): how many JVMs of executor, scheduler and power-service. */
    private static int replicas() {
        String value = System.getenv().getOrDefault("MOONSHOT_REPLICAS", "1");
        try {
            int replicas = Integer.parseInt(value.trim());
            if (replicas >= 1 && replicas <= 9) {
                return replicas;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("MOONSHOT_REPLICAS must be 1 to 9, got '" + value + "'");
    }

    private static void print(LocalStack stack, Path root) {
        var infra = stack.infrastructure();
        System.out.printf("%nKafka      %s   (started in %.1f s)%n", infra.kafkaBootstrapServers(),
                infra.kafkaStartTime().toMillis() / 1000.0);
        System.out.printf("PostgreSQL %s   (started in %.1f s)%n", infra.jdbcUrl("<service>"),
                infra.postgresStartTime().toMillis() / 1000.0);
        for (SimulatedHost host : stack.lab().hosts()) {
            System.out.printf("Lab host   %-8s %s  ssh %s@%s:%d  %s%n", host.name(), host.kind(), host.user(),
                    host.address(), host.sshPort(), host.hostKeyFingerprint());
        }
        System.out.println();
        for (ServiceProcess service : stack.services()) {
            System.out.printf("%-18s %s  (ready in %.1f s, RSS %d MiB)  swagger: %s/q/swagger-ui%n", service.name(),
                    service.url(), service.startTime().toMillis() / 1000.0, service.rssKiB() / 1024, service.url());
        }
        String scheduler = stack.url("scheduler");
        System.out.printf("""

                Inventory holds mh-esxi (esxi-01: Admin, Ctrl, Bm) and mh-kvm (kvm-01: Admin_node, Controller, Compute),
                and scheduler, executor and power-service have applied both (GET <service>/known-hosts).
                Try:
                  curl -s %1$s/management-hosts | jq
                  curl -s -X POST -H 'Content-Type: application/json' \\
                       -d '{"managementHost":"mh-esxi","scope":"ADMIN","reason":"first backup"}' %2$s/backups | jq
                  curl -s %2$s/backups | jq          # state, artifact path, size, sha256, timings
                  curl -s -X POST %3$s/hypervisors/kvm-01/check | jq
                Logs: %4$s   Lab: %5$s (lab-actions.log per host)
                Ctrl-C stops everything.
                """, stack.url("inventory"), scheduler, stack.url("executor"),
                root.relativize(stack.service("inventory").log().getParent()), root.relativize(stack.lab().root()));
    }
}
