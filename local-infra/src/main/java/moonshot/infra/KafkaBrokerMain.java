package moonshot.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.slf4j.event.Level;

/**
 * Main class of the broker JVM started by {@link KafkaBroker}:
 * {@code KafkaBrokerMain <parentPid> <server.properties>}.
 * <ol>
 *   <li>starts a watchdog that halts this JVM as soon as the parent process is gone (so no broker outlives a
 *       crashed test JVM or launcher),</li>
 *   <li>formats the KRaft storage with a fresh cluster id ({@code kafka.tools.StorageTool format}),</li>
 *   <li>runs the broker ({@code kafka.Kafka server.properties}; combined broker+controller).</li>
 * </ol>
 * {@code KafkaBrokerMain --watch-only <parentPid>} only runs the watchdog (used by the tests).
 */
public final class KafkaBrokerMain {

    static final String WATCH_ONLY = "--watch-only";
    /** Exit status when the parent died. */
    static final int PARENT_GONE_STATUS = 3;
    private static final String LOGGER = KafkaBrokerMain.class.getName();

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && WATCH_ONLY.equals(args[0])) {
            watchParent(Long.parseLong(args[1]));
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <parentPid> <server.properties> | --watch-only <parentPid>");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        String properties = args[1];
        watchParent(parentPid);
        format(properties);
        log(Level.INFO, "starting kafka.Kafka " + properties, null);
        kafka.Kafka.main(new String[] {properties});
    }

    /** Formats the storage named in the properties file with a new random cluster id. */
    static void format(String properties) {
        String clusterId;
        do {
            // an id starting with '-' would be taken for an option by the argument parser
            clusterId = Uuid.randomUuid().toString();
        } while (clusterId.startsWith("-"));
        long t0 = System.nanoTime();
        int status;
        try {
            status = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", clusterId, "-c", properties, "--ignore-formatted"}, System.out);
        } catch (Throwable e) {
            log(Level.ERROR, "formatting the storage failed", e);
            status = 1;
        }
        if (status != 0) {
            log(Level.ERROR, "StorageTool format exited with status " + status, null);
            System.out.flush();
            System.exit(status);
        }
        log(Level.INFO, "formatted the storage (cluster id " + clusterId + ") in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms", null);
    }

    /**
     * Starts a daemon thread that halts the JVM when process {@code parentPid} is gone. Halts at once if it is
     * already gone.
     */
    static Thread watchParent(long parentPid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(parentPid);
        if (handle.isEmpty() || !isAlive(handle.get())) {
            parentGone(parentPid);
        }
        ProcessHandle parent = handle.get();
        Thread watchdog = new Thread(() -> {
            try {
                while (isAlive(parent)) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            parentGone(parentPid);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        log(Level.INFO, "watching parent process " + parentPid, null);
        return watchdog;
    }

    private static void parentGone(long parentPid) {
        log(Level.WARN, "parent process " + parentPid + " is gone: halting", null);
        System.out.flush();
        Runtime.getRuntime().halt(PARENT_GONE_STATUS);
    }

    /** Alive and not a zombie (a dead parent that nobody reaped yet still answers kill -0). */
    static boolean isAlive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (Files.isReadable(stat)) {
            try {
                String content = Files.readString(stat);
                int end = content.lastIndexOf(')');
                if (end > 0 && end + 2 < content.length()) {
                    char state = content.charAt(end + 2);
                    return state != 'Z' && state != 'X';
                }
            } catch (IOException e) {
                return process.isAlive();
            }
        }
        return true;
    }

    private static void log(Level level, String message, Throwable throwable) {
        BrokerLogProvider.print(level, LOGGER, message, throwable);
    }
}
