package moonshot.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start the stack. A port of 0 picks a free one. {@code projectRoot} is where the services' packaged jars
 * are ({@code <service>/target/quarkus-app/quarkus-run.jar}).
 */
public record StackOptions(Path projectRoot, Path workDir, int kafkaPort, int postgresPort, int firstServicePort,
                           boolean seedInventory, Duration labBackupDuration, Duration labPowerDelay,
                           boolean settableClock, Map<String, Integer> replicas) {

    public StackOptions {
        replicas = Map.copyOf(replicas);
        replicas.forEach((service, count) -> {
            if (!LocalStack.SERVICES.contains(service) || count < 1 || count > 9) {
                throw new IllegalArgumentException("replicas: 1 to 9 of one of " + LocalStack.SERVICES + ", got "
                        + service + "=" + count);
            }
        });
        if (settableClock && replicas.getOrDefault("scheduler", 1) > 1) {
            throw new IllegalArgumentException("a settable clock lives in one scheduler's memory: one scheduler replica"
                    + " only when the clock is settable");
        }
    }

    /** One replica of each service. */
    public StackOptions(Path projectRoot, Path workDir, int kafkaPort, int postgresPort, int firstServicePort,
                        boolean seedInventory, Duration labBackupDuration, Duration labPowerDelay,
                        boolean settableClock) {
        this(projectRoot, workDir, kafkaPort, postgresPort, firstServicePort, seedInventory, labBackupDuration,
                labPowerDelay, settableClock, Map.of());
    }

    /** How many JVMs of {@code service} the stack runs (one consumer group, one database). */
    public int replicasOf(String service) {
        return replicas.getOrDefault(service, 1);
    }

    /** The same options with {@code count} replicas of {@code service}. */
    public StackOptions withReplicas(String service, int count) {
        var changed = new java.util.HashMap<>(replicas);
        changed.put(service, count);
        return new StackOptions(projectRoot, workDir, kafkaPort, postgresPort, firstServicePort, seedInventory,
                labBackupDuration, labPowerDelay, settableClock, changed);
    }

    /** The embedded default of ./run.sh: Kafka on 9092, services on 8081–8084. */
    public static StackOptions embeddedDefault(Path projectRoot) {
        return new StackOptions(projectRoot, projectRoot.resolve(".stack"), 9092, 0, 8081, true,
                Duration.ofSeconds(3), Duration.ofSeconds(1), false);
    }

    /**
     * Free ports everywhere, for tests that may run beside a running stack; the scheduler's clock is settable
     * ({@code PUT /admin/clock}) so schedules are tested by setting time, not by waiting for it.
     */
    public static StackOptions forTests(Path projectRoot, Path workDir) {
        return new StackOptions(projectRoot, workDir, 0, 0, 0, true, Duration.ofMillis(800),
                Duration.ofMillis(300), true);
    }

    /** The demo moves the scheduler's clock to the night instead of waiting for it, and keeps timeouts short. */
    public StackOptions forDemo() {
        return new StackOptions(projectRoot, workDir, kafkaPort, postgresPort, firstServicePort, seedInventory,
                Duration.ofSeconds(2), Duration.ofMillis(500), true, replicas);
    }
}
