package moonshot.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft Kafka broker (combined broker+controller) in its own JVM, listening on 127.0.0.1.
 * The JVM runs {@link KafkaBrokerMain} with this JVM's class path and halts when this JVM dies.
 * Files: {@code dir/server.properties}, {@code dir/broker.log} (all output of the broker JVM),
 * {@code dir/data} (log.dirs; wiped on start and on close).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBroker.class.getName());
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    static final int PARTITIONS = 3;
    static final List<String> JVM_OPTIONS = List.of(
            "-Xms32m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");
    static final String EXTRA_JVM_OPTIONS = "moonshot.infra.kafka.jvmOptions";

    private final Process process;
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final Path logFile;
    private Duration startTime = Duration.ZERO;
    private Admin admin;
    private boolean closed;

    private KafkaBroker(Process process, int port, int controllerPort, Path dir, Path logFile) {
        this.process = process;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.logFile = logFile;
    }

    /**
     * Starts the broker and waits until it answers an AdminClient {@code describeCluster} (at most 60 s).
     *
     * @param dir  work directory of the broker (created if missing)
     * @param port PLAINTEXT port on 127.0.0.1, {@code 0} = a free one
     */
    public static KafkaBroker start(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        // A free port found by binding port 0 can be taken by someone else before the broker binds it. The controller
        // port is always chosen here (and the PLAINTEXT one when port is 0): retry with new ones. Seen on a busy
        // machine: the embedded default (PLAINTEXT 9092) lost its controller port to a concurrent test JVM.
        int attempts = 3;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dir, port);
            } catch (BrokerDiedException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.log(Level.WARNING, "Kafka broker died while starting, retrying with new ports: " + e.getMessage());
            }
        }
    }

    private static KafkaBroker startOnce(Path dir, int requestedPort) throws Exception {
        long t0 = System.nanoTime();
        int port = requestedPort == 0 ? Ports.free() : requestedPort;
        int controllerPort;
        do {
            controllerPort = Ports.free();
        } while (controllerPort == port);

        Path data = dir.resolve("data");
        Files.deleteIfExists(dir.resolve("broker.log"));
        Ports.deleteRecursively(data);
        Files.createDirectories(data);
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, serverProperties(port, controllerPort, data), StandardCharsets.UTF_8);
        Path logFile = dir.resolve("broker.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        String extra = System.getProperty(EXTRA_JVM_OPTIONS, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-Dslf4j.provider=" + BrokerLogProvider.class.getName());
        String level = System.getProperty(BrokerLogProvider.LEVEL_PROPERTY);
        if (level != null && !level.isBlank()) {
            command.add("-D" + BrokerLogProvider.LEVEL_PROPERTY + "=" + level.trim());
        }
        command.add("-cp");
        command.add(absoluteClassPath(System.getProperty("java.class.path")));
        command.add(KafkaBrokerMain.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(properties.toAbsolutePath().toString());

        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        KafkaBroker broker = new KafkaBroker(process, port, controllerPort, dir, logFile);
        try {
            broker.awaitReady(t0 + START_TIMEOUT.toNanos());
        } catch (Throwable e) {
            broker.close();
            throw e;
        }
        broker.startTime = Duration.ofNanos(System.nanoTime() - t0);
        return broker;
    }

    static String serverProperties(int port, int controllerPort, Path data) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", data.toAbsolutePath().toString());
        p.put("num.partitions", Integer.toString(PARTITIONS));
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.num.partitions", Integer.toString(PARTITIONS));
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.num.partitions", Integer.toString(PARTITIONS));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", Integer.toString(PARTITIONS));
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        StringBuilder text = new StringBuilder("# generated by moonshot local-infra\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }

    private void awaitReady(long deadlineNanos) throws Exception {
        // 1. wait for the port to be bound (keeps the AdminClient from logging refused connections)
        while (!Ports.accepts(port)) {
            checkAlive();
            checkDeadline(deadlineNanos);
            Thread.sleep(50);
        }
        // 2. wait for describeCluster to answer with the broker
        Exception last = null;
        while (true) {
            checkAlive();
            checkDeadline(deadlineNanos, last);
            try {
                Collection<Node> nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                        .nodes().get(3, TimeUnit.SECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(100);
        }
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw new BrokerDiedException("Kafka broker JVM exited with status " + process.exitValue()
                    + " while starting; tail of " + logFile + ":\n" + logTail(60));
        }
    }

    private void checkDeadline(long deadlineNanos) {
        checkDeadline(deadlineNanos, null);
    }

    private void checkDeadline(long deadlineNanos, Exception last) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException("Kafka broker did not start within " + START_TIMEOUT.toSeconds()
                    + " s (port " + port + "); tail of " + logFile + ":\n" + logTail(60), last);
        }
    }

    /** The last lines of the broker log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = newAdmin(bootstrapServers());
        }
        return admin;
    }

    static Admin newAdmin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-infra-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "250");
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");
        props.put(AdminClientConfig.METRIC_REPORTER_CLASSES_CONFIG, ""); // no JMX MBeans in the host JVM
        return Admin.create(props);
    }

    /** "127.0.0.1:port". */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Pid of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    /** From the start call until the broker answered describeCluster. */
    public Duration startTime() {
        return startTime;
    }

    public Path logFile() {
        return logFile;
    }

    /** The broker JVM runs in its own directory, so relative class path entries must be made absolute. */
    static String absoluteClassPath(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> entry.endsWith("*")
                        ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + java.io.File.separator + "*"
                        : Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public Path directory() {
        return dir;
    }

    /** Creates the topics that do not exist yet (3 partitions, replication factor 1) and waits for their leaders. */
    public void createTopics(String... topics) {
        createTopics(admin(), topics);
    }

    static void createTopics(Admin admin, String... topics) {
        Set<String> names = new LinkedHashSet<>(List.of(topics));
        if (names.isEmpty()) {
            return;
        }
        List<NewTopic> newTopics = names.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
        CreateTopicsResult result = admin.createTopics(newTopics);
        try {
            for (String name : names) {
                try {
                    result.values().get(name).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name, e.getCause());
                    }
                }
            }
            // wait until every partition has a leader, so that the first send does not wait for metadata
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (ready) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Topics " + names + " have partitions without a leader");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + names, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + names, e);
        }
    }

    /** Stops the broker: SIGTERM (graceful shutdown), then SIGKILL after 15 s; deletes the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the admin client failed", e);
            }
            admin = null;
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.WARNING, "Kafka broker (pid " + process.pid() + ") did not stop within "
                            + STOP_GRACE.toSeconds() + " s: killing it");
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Ports.deleteRecursively(dir.resolve("data"));
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot delete " + dir.resolve("data"), e);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + ", pid " + process.pid() + ", log " + logFile + "]";
    }

    /** The broker JVM exited before it was ready. */
    static final class BrokerDiedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BrokerDiedException(String message) {
            super(message);
        }
    }
}
