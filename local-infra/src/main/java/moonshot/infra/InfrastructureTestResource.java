package moonshot.infra;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: one {@link LocalInfrastructure} per test JVM (all four service databases), started
 * lazily by the first test class that needs it and stopped by a JVM shutdown hook.
 *
 * <pre>
 * &#64;QuarkusTestResource(value = InfrastructureTestResource.class,
 *         initArgs = &#64;ResourceArg(name = "database", value = "inventory"))
 * </pre>
 *
 * Returns {@code kafka.bootstrap.servers}, {@code quarkus.datasource.jdbc.url} (of the "database" init arg),
 * {@code quarkus.datasource.username} and {@code quarkus.datasource.password}.
 *
 * <p>Quarkus may load this class in several class loaders during one test run; the instance is nevertheless
 * started once per JVM, because every copy delegates to the copy of the system class loader.
 *
 * <p>Work directory: {@code -Dmoonshot.infra.workDir}, else {@code target/local-infra-<pid>} when the current
 * directory has a {@code target} directory (logs stay there), else a temporary directory (deleted at exit).
 */
public final class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";
    private static final Logger LOG = Logger.getLogger(InfrastructureTestResource.class.getName());

    /** Set only in the owning copy of this class. */
    private static LocalInfrastructure instance;

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs == null ? null : initArgs.get(DATABASE_ARG);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(InfrastructureTestResource.class.getSimpleName()
                    + " needs the init arg \"" + DATABASE_ARG + "\" (one of " + LocalInfrastructure.SERVICE_DATABASES
                    + ")");
        }
        database = value.trim();
    }

    @Override
    public Map<String, String> start() {
        if (database == null) {
            init(Map.of());
        }
        LocalInfrastructure infrastructure = LocalInfrastructure.view(shared(database));
        return Map.of(
                "kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", infrastructure.jdbcUrl(database),
                "quarkus.datasource.username", infrastructure.username(),
                "quarkus.datasource.password", infrastructure.password());
    }

    @Override
    public void stop() {
        // shared by all test classes of this JVM: stopped by the shutdown hook
    }

    /** The running infrastructure of this JVM (started now if no test resource started it yet). */
    public static LocalInfrastructure infrastructure() {
        Map<String, String> state = shared(null);
        synchronized (InfrastructureTestResource.class) {
            return instance != null ? instance : LocalInfrastructure.view(state);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> shared(String database) {
        Class<?> owner = ownerClass();
        try {
            if (owner == InfrastructureTestResource.class) {
                return sharedState(database);
            }
            return (Map<String, String>) owner.getMethod("sharedState", String.class).invoke(null, database);
        } catch (InvocationTargetException e) {
            throw asRuntime(e.getCause());
        } catch (Exception e) {
            throw asRuntime(e);
        }
    }

    private static RuntimeException asRuntime(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("Cannot start the local infrastructure: " + e.getMessage(), e);
    }

    private static Class<?> ownerClass() {
        try {
            return Class.forName(InfrastructureTestResource.class.getName(), false,
                    ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return InfrastructureTestResource.class;
        }
    }

    /**
     * Internal (public only so that copies of this class in other class loaders can call it): starts the
     * infrastructure once, makes sure {@code database} exists (when not null) and returns its description.
     */
    public static synchronized Map<String, String> sharedState(String database) throws Exception {
        if (instance == null) {
            Path workDir;
            boolean temporary;
            String configured = System.getProperty("moonshot.infra.workDir");
            Path target = Path.of(System.getProperty("user.dir")).resolve("target");
            if (configured != null && !configured.isBlank()) {
                workDir = Path.of(configured);
                temporary = false;
            } else if (Files.isDirectory(target)) {
                workDir = target.resolve("local-infra-" + ProcessHandle.current().pid());
                temporary = false;
            } else {
                workDir = Files.createTempDirectory("moonshot-infra-");
                temporary = true;
            }
            List<String> databases = new ArrayList<>(LocalInfrastructure.SERVICE_DATABASES);
            if (database != null && !databases.contains(database)) {
                databases.add(database);
            }
            LocalInfrastructure started = LocalInfrastructure.start(new InfrastructureOptions(workDir, 0, 0, databases));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                if (temporary) {
                    try {
                        Ports.deleteRecursively(started.workDir());
                    } catch (IOException e) {
                        // best effort
                    }
                }
            }, "local-infra-shutdown"));
            instance = started;
            LOG.log(Level.INFO, "Local infrastructure for the tests of this JVM: " + started);
        } else if (database != null && !LocalInfrastructure.SERVICE_DATABASES.contains(database)) {
            instance.postgres().createDatabase(database);
        }
        return instance.state();
    }
}
