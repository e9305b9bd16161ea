package moonshot.infra;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;

/**
 * The real infrastructure of the system, without Docker: a single-node KRaft Kafka broker (own JVM) and an
 * embedded PostgreSQL, both on 127.0.0.1. Used by the services' tests ({@link InfrastructureTestResource}),
 * the local stack launcher and the end-to-end tests.
 */
public final class LocalInfrastructure implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalInfrastructure.class.getName());
    /** One database per service. */
    public static final List<String> SERVICE_DATABASES = List.of("inventory", "scheduler", "executor", "power");

    private final KafkaBroker kafka;          // null in a view (see view(Map))
    private final PostgresServer postgres;    // null in a view
    private final String bootstrapServers;
    private final int postgresPort;
    private final String username;
    private final String password;
    private final Duration kafkaStartTime;
    private final Duration postgresStartTime;
    private final long kafkaPid;
    private final Path workDir;

    private LocalInfrastructure(KafkaBroker kafka, PostgresServer postgres, String bootstrapServers, int postgresPort,
                                String username, String password, Duration kafkaStartTime,
                                Duration postgresStartTime, long kafkaPid, Path workDir) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.bootstrapServers = bootstrapServers;
        this.postgresPort = postgresPort;
        this.username = username;
        this.password = password;
        this.kafkaStartTime = kafkaStartTime;
        this.postgresStartTime = postgresStartTime;
        this.kafkaPid = kafkaPid;
        this.workDir = workDir;
    }

    /** Starts Kafka and PostgreSQL in parallel; if one fails the other is stopped and the failure thrown. */
    public static LocalInfrastructure start(InfrastructureOptions options) throws Exception {
        Path workDir = options.workDir().toAbsolutePath();
        Files.createDirectories(workDir);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "local-infra-start");
            thread.setDaemon(true);
            return thread;
        });
        Future<KafkaBroker> kafkaFuture;
        Future<PostgresServer> postgresFuture;
        try {
            kafkaFuture = executor.submit(() -> KafkaBroker.start(workDir.resolve("kafka"), options.kafkaPort()));
            postgresFuture = executor.submit(
                    () -> PostgresServer.start(workDir.resolve("postgres"), options.postgresPort(), options.databases()));
        } finally {
            executor.shutdown();
        }
        KafkaBroker kafka = null;
        PostgresServer postgres = null;
        Exception failure = null;
        try {
            kafka = kafkaFuture.get();
        } catch (ExecutionException e) {
            failure = unwrap(e);
        }
        try {
            postgres = postgresFuture.get();
        } catch (ExecutionException e) {
            Exception cause = unwrap(e);
            if (failure == null) {
                failure = cause;
            } else {
                failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw failure;
        }
        LOG.log(Level.INFO, String.format("Kafka started in %d ms at %s (broker pid %d, log %s)",
                kafka.startTime().toMillis(), kafka.bootstrapServers(), kafka.pid(), kafka.logFile()));
        LOG.log(Level.INFO, String.format("PostgreSQL started in %d ms at 127.0.0.1:%d, databases %s (log %s)",
                postgres.startTime().toMillis(), postgres.port(), options.databases(), postgres.logFile()));
        return new LocalInfrastructure(kafka, postgres, kafka.bootstrapServers(), postgres.port(),
                postgres.username(), postgres.password(), kafka.startTime(), postgres.startTime(), kafka.pid(),
                workDir);
    }

    private static Exception unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
            return exception;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return e;
    }

    /** "127.0.0.1:port" */
    public String kafkaBootstrapServers() {
        return bootstrapServers;
    }

    /** jdbc:postgresql://127.0.0.1:port/database */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Duration kafkaStartTime() {
        return kafkaStartTime;
    }

    public Duration postgresStartTime() {
        return postgresStartTime;
    }

    /** Pid of the broker JVM. */
    public long kafkaPid() {
        return kafkaPid;
    }

    /** Where data and logs are: {@code kafka/broker.log}, {@code postgres/postgres.log}. */
    public Path workDir() {
        return workDir;
    }

    /** Creates the topics that do not exist yet: 3 partitions, replication factor 1. */
    public void createTopics(String... topics) {
        if (kafka != null) {
            kafka.createTopics(topics);
        } else {
            try (Admin admin = KafkaBroker.newAdmin(bootstrapServers)) {
                KafkaBroker.createTopics(admin, topics);
            }
        }
    }

    /** Stops the broker (SIGTERM, SIGKILL after 15 s) and PostgreSQL. A no-op on a view. */
    @Override
    public void close() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** Stops PostgreSQL (fast shutdown), keeping its data, until {@link #startPostgres()}; works on a view too. */
    public void stopPostgres() throws Exception {
        PostgresServer.stopServer(workDir.resolve("postgres"));
    }

    /** Starts PostgreSQL stopped by {@link #stopPostgres()} again and waits until it answers. */
    public void startPostgres() throws Exception {
        PostgresServer.startServer(workDir.resolve("postgres"));
    }

    PostgresServer postgres() {
        return postgres;
    }

    // --- sharing one instance between class loaders (see InfrastructureTestResource) ---

    Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("bootstrapServers", bootstrapServers);
        state.put("postgresPort", Integer.toString(postgresPort));
        state.put("username", username);
        state.put("password", password);
        state.put("kafkaStartNanos", Long.toString(kafkaStartTime.toNanos()));
        state.put("postgresStartNanos", Long.toString(postgresStartTime.toNanos()));
        state.put("kafkaPid", Long.toString(kafkaPid));
        state.put("workDir", workDir.toString());
        return state;
    }

    /** An instance that describes infrastructure owned elsewhere (another class loader); close() does nothing. */
    static LocalInfrastructure view(Map<String, String> state) {
        return new LocalInfrastructure(null, null, state.get("bootstrapServers"),
                Integer.parseInt(state.get("postgresPort")), state.get("username"), state.get("password"),
                Duration.ofNanos(Long.parseLong(state.get("kafkaStartNanos"))),
                Duration.ofNanos(Long.parseLong(state.get("postgresStartNanos"))),
                Long.parseLong(state.get("kafkaPid")), Path.of(state.get("workDir")));
    }

    @Override
    public String toString() {
        return "LocalInfrastructure[kafka " + bootstrapServers + ", postgres 127.0.0.1:" + postgresPort
                + ", workDir " + workDir + "]";
    }
}
