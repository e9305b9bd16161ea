package moonshot.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The host facts that have no natural file on a real host (power state, running domain ids, id
 * counters), kept in one properties file. Every read goes to disk; every change is a read-modify-write
 * under the host's lock, written atomically.
 *
 * <p>Keys: {@code power.<vm>} = on|off, {@code offAt.<vm>} = epoch millis of a pending graceful shutdown,
 * {@code domid.<vm>} = the running libvirt Id, {@code deployedAt.<vm>} = the ISO instant from which the
 * Admin dashboard stand-in reports a started VM <i>Deployed</i> (absent for a VM that was seeded running:
 * deployed at once), {@code next.domid}, {@code next.vmid}; for KVM domains {@code agent.<vm>} = absent when the
 * guest has no QEMU guest agent (present when missing) and {@code frozen.<vm>} = true while {@code virsh domfsfreeze}
 * holds its filesystems.
 */
public final class HostState {
    private final Path file;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    HostState(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public <T> T read(Function<View, T> reader) {
        lock.lock();
        try {
            return reader.apply(new View(load(), clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    public void update(Consumer<Properties> change) {
        lock.lock();
        try {
            Properties p = load();
            change.accept(p);
            store(p);
        } finally {
            lock.unlock();
        }
    }

    public <T> T updateAndGet(Function<Properties, T> change) {
        lock.lock();
        try {
            Properties p = load();
            T result = change.apply(p);
            store(p);
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** A read-only look at the state, resolving a pending graceful shutdown whose time has come. */
    public static final class View {
        private final Properties p;
        private final Instant now;

        View(Properties p, Instant now) {
            this.p = p;
            this.now = now;
        }

        public boolean isOn(String key) {
            if (!"on".equals(p.getProperty("power." + key))) {
                return false;
            }
            String offAt = p.getProperty("offAt." + key);
            return offAt == null || Instant.ofEpochMilli(Long.parseLong(offAt)).isAfter(now);
        }

        public boolean guestAgent(String vm) {
            return !"absent".equals(p.getProperty("agent." + vm));
        }

        /** A guest that stopped has nothing frozen any more. */
        public boolean isFrozen(String vm) {
            return isOn(vm) && "true".equals(p.getProperty("frozen." + vm));
        }

        public boolean isShuttingDown(String key) {
            return isOn(key) && p.getProperty("offAt." + key) != null;
        }

        public String domid(String vm) {
            return isOn(vm) ? p.getProperty("domid." + vm, "-") : "-";
        }

        public String property(String name) {
            return p.getProperty(name);
        }

        /** When a VM started by a power command becomes Deployed; null when it was on from the start. */
        Instant deployedAt(String key) {
            String at = p.getProperty("deployedAt." + key);
            if (at == null) {
                return null;
            }
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                return null; // a tampered value: treat the VM as deployed, as one seeded running
            }
        }

        /** Running, and its deployment time (if any) has come. */
        boolean isDeployed(String key) {
            if (!isOn(key)) {
                return false;
            }
            Instant at = deployedAt(key);
            return at == null || !at.isAfter(now);
        }

        /** Running VMs (by state key) whose deployment time is still ahead. */
        Map<String, Instant> pendingDeployments() {
            Map<String, Instant> pending = new LinkedHashMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith("deployedAt.")) {
                    String key = name.substring("deployedAt.".length());
                    Instant at = deployedAt(key);
                    if (at != null && at.isAfter(now) && isOn(key)) {
                        pending.put(key, at);
                    }
                }
            }
            return pending;
        }
    }

    /** On, and deployed at once (a VM seeded running). */
    public static void setOn(Properties p, String key) {
        setOn(p, key, null);
    }

    /** On, and deployed from {@code deployedAt} on (null: at once). */
    public static void setOn(Properties p, String key, Instant deployedAt) {
        p.setProperty("power." + key, "on");
        p.remove("offAt." + key);
        if (deployedAt == null) {
            p.remove("deployedAt." + key);
        } else {
            p.setProperty("deployedAt." + key, deployedAt.toString());
        }
    }

    public static void setOff(Properties p, String key) {
        p.setProperty("power." + key, "off");
        p.remove("offAt." + key);
        p.remove("domid." + key);
        p.remove("deployedAt." + key);
        p.remove("frozen." + key);
    }

    public static void forget(Properties p, String key) {
        p.remove("power." + key);
        p.remove("offAt." + key);
        p.remove("domid." + key);
        p.remove("deployedAt." + key);
        p.remove("frozen." + key);
    }

    public static int nextCounter(Properties p, String counter, int first) {
        int value = Integer.parseInt(p.getProperty(counter, Integer.toString(first)));
        p.setProperty(counter, Integer.toString(value + 1));
        return value;
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }

    private void store(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "hypervisor lab state");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
