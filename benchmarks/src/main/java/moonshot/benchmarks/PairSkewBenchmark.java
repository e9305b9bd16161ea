package moonshot.benchmarks;

import moonshot.lab.LabAction;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LocalStack;
import moonshot.stack.StackOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How far apart the CONTROLLER and BAREMETAL snapshots start, the product's way (one PAIR run through the whole
 * stack) against the seed's way (one tool call naming both VMs), on ESXi and on KVM, with the lab's action log as
 * the one witness for both. A report, not a test: it prints numbers and asserts nothing.
 *
 * <p>{@code PairSkewBenchmark [N] [backupSeconds]}, run by {@code benchmarks/run-pair-skew.sh}; {@code
 * -Dmoonshot.root} is the project root (where the services' packaged jars are).
 */
public final class PairSkewBenchmark {

    enum Mode {
        SIMULTANEOUS, SEQUENTIAL;

        String label() {
            return name().toLowerCase();
        }
    }

    /** One pair backup: the witness's skew, the product's own (simultaneous only), and what went wrong if anything. */
    record Sample(Mode mode, Double skewMillis, Long productSkewMillis, Long productPrecisionMillis,
                  String productVerdict, boolean productSkewFromTool, Duration wall,
                  long lockWaitMillis, String failure) {
        boolean counted() {
            return failure == null && skewMillis != null;
        }

        /** "n/a" when the product recorded none; marked when it is only the gap between the two dispatches. */
        String productSkew() {
            return productSkewMillis == null ? "n/a"
                    : productSkewMillis + " ± " + productPrecisionMillis + " consistent " + productVerdict
                    + (productSkewFromTool ? "" : " (unwitnessed)");
        }
    }

    private final LocalStack stack;
    private final SimultaneousPairBackup product;
    private final int n;
    private final Duration backup;

    private PairSkewBenchmark(LocalStack stack, int n, Duration backup) {
        this.stack = stack;
        this.product = new SimultaneousPairBackup(stack.url("scheduler"), stack.url("executor"));
        this.n = n;
        this.backup = backup;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        if (n < 1 || seconds <= 0) {
            System.err.println("usage: PairSkewBenchmark [N >= 1] [backupSeconds > 0]");
            System.exit(2);
        }
        Duration backup = Duration.ofMillis(Math.round(seconds * 1000));
        Path root = Path.of(System.getProperty("moonshot.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve("benchmarks/target/pair-skew-" + ProcessHandle.current().pid());
        long began = System.nanoTime();

        System.out.printf("Pair snapshot skew: N=%d per mode and dialect, %s s simulated backups per VM%n", n,
                fmt(backup.toMillis() / 1000.0));
        System.out.printf("Starting Kafka, PostgreSQL, the lab and the four services (work dir %s) …%n",
                root.relativize(workDir));
        LocalStack stack = LocalStack.start(new StackOptions(root, workDir, 0, 0, 0, true, backup,
                Duration.ofMillis(500), false));
        var closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                stack.close();
            }
        };
        // Ctrl-C must not leave four service JVMs, a broker and a database behind.
        Runtime.getRuntime().addShutdownHook(new Thread(close, "pair-skew-shutdown"));
        System.out.printf("Stack up in %s s (scheduler %s, executor %s)%n%n",
                fmt((System.nanoTime() - began) / 1e9), stack.url("scheduler"), stack.url("executor"));
        List<String> tables = new ArrayList<>();
        try {
            var benchmark = new PairSkewBenchmark(stack, n, backup);
            moonshot.stack.LibvirtExternalHost.add(stack, backup, Duration.ofMillis(500));
            for (PairUnderTest pair : List.of(PairUnderTest.esxi(), PairUnderTest.kvm(),
                    PairUnderTest.libvirtExternal())) {
                tables.add(SkewTable.render(pair, n, backup, benchmark.measure(pair)));
            }
        } catch (Exception | Error e) {
            System.err.printf("The benchmark stopped: %s%nService logs: %s, lab action logs: %s/<host>/lab-actions.log%n",
                    e.getMessage(), workDir.resolve("logs"), workDir.resolve("lab"));
            throw e;
        } finally {
            close.run();
        }
        System.out.println();
        tables.forEach(System.out::println);
        System.out.printf("Total wall time %s s (stack start and stop included)%n",
                fmt((System.nanoTime() - began) / 1e9));
    }

    /** N of each mode, side by side: simultaneous then sequential, N times, one backup at a time. */
    private List<Sample> measure(PairUnderTest pair) throws Exception {
        SimulatedHost host = stack.lab().host(pair.hypervisor());
        product.awaitExecutorKnows(pair.hypervisor(), Duration.ofMinutes(2));
        Duration timeout = backup.multipliedBy(6).plus(Duration.ofMinutes(2));
        List<Sample> samples = new ArrayList<>();
        if (!pair.hasSeedCommand()) {
            for (int i = 1; i <= n; i++) {
                samples.add(progress(pair, i, simultaneous(pair, host, timeout)));
            }
            return samples;
        }
        try (var seed = SequentialPairBackup.connect(pair, host, stack.lab().clientPrivateKey())) {
            for (int i = 1; i <= n; i++) {
                samples.add(progress(pair, i, simultaneous(pair, host, timeout)));
                samples.add(progress(pair, i, sequential(seed, host, pair, timeout)));
            }
        }
        return samples;
    }

    private Sample simultaneous(PairUnderTest pair, SimulatedHost host, Duration timeout) throws Exception {
        int mark = host.actions().size();
        var run = product.backUpPair(pair.managementHost(), timeout);
        List<LabAction> during = since(host, mark);
        Optional<Double> skew = pair.skewMillis(during);
        String failure = !run.succeeded() ? run.failure()
                : skew.isEmpty() ? "run " + run.runId() + " succeeded but the lab saw no snapshot pair" : null;
        return new Sample(Mode.SIMULTANEOUS, skew.orElse(null), run.skewMillis(), run.precisionMillis(),
                run.verdict(), run.skewFromTool(), run.wall(),
                PairUnderTest.longestLockWaitMillis(during), failure);
    }

    private Sample sequential(SequentialPairBackup seed, SimulatedHost host, PairUnderTest pair, Duration timeout)
            throws Exception {
        int mark = host.actions().size();
        long start = System.nanoTime();
        var call = seed.run(timeout);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        List<LabAction> during = since(host, mark);
        Optional<Double> skew = pair.skewMillis(during);
        String failure = !call.succeeded() ? call.failure()
                : skew.isEmpty() ? "`" + call.command() + "` succeeded but the lab saw no snapshot pair" : null;
        return new Sample(Mode.SEQUENTIAL, skew.orElse(null), null, null, null, false, wall,
                PairUnderTest.longestLockWaitMillis(during), failure);
    }

    private static List<LabAction> since(SimulatedHost host, int mark) {
        List<LabAction> all = host.actions();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    private Sample progress(PairUnderTest pair, int i, Sample sample) {
        System.out.printf("  %-8s %-12s %d/%d  skew %s ms  wall %s s%s%s%n", pair.hypervisor(), sample.mode().label(),
                i, n, sample.skewMillis() == null ? "-" : fmt(sample.skewMillis()), fmt(sample.wall().toMillis() / 1000.0),
                sample.mode() == Mode.SIMULTANEOUS ? "  product skewMillis " + sample.productSkew() : "",
                sample.failure() == null ? "" : "  FAILED: " + sample.failure());
        return sample;
    }

    static String fmt(double value) {
        return String.format("%.1f", value);
    }
}
