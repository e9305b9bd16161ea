package moonshot.benchmarks;

import moonshot.benchmarks.PairSkewBenchmark.Mode;
import moonshot.benchmarks.PairSkewBenchmark.Sample;

import java.time.Duration;
import java.util.List;

import static moonshot.benchmarks.PairSkewBenchmark.fmt;

/** One dialect's table: per mode N, p50, p99 and max skew, failures and wall time; the ratio; why it is so. */
final class SkewTable {

    private SkewTable() {
    }

    static String render(PairUnderTest pair, int n, Duration backup, List<Sample> samples) {
        var out = new StringBuilder();
        out.append(String.format("== %s (%s), %d per mode, %s s backups ==%n", pair.title(), pair.managementHost(), n,
                fmt(backup.toMillis() / 1000.0)));
        out.append(String.format("%-13s %3s %10s %10s %10s %7s %8s%n", "mode", "N", "p50 ms", "p99 ms", "max ms",
                "failed", "wall s"));
        SkewStatistics simultaneous = row(out, Mode.SIMULTANEOUS, samples);
        SkewStatistics sequential = row(out, Mode.SEQUENTIAL, samples);
        out.append("ratio sequential p50 / simultaneous p50: ").append(ratio(sequential, simultaneous))
                .append(System.lineSeparator());
        List<Sample> runs = of(Mode.SIMULTANEOUS, samples);
        out.append("product's own skew per simultaneous run (ms ± precision, verdict): ").append(String.join(", ",
                runs.stream().map(Sample::productSkew).toList()));
        if (runs.stream().anyMatch(s -> s.productSkewMillis() != null && !s.productSkewFromTool())) {
            out.append(" (unwitnessed: the executor did not see a snapshot begin on the hypervisor)");
        }
        out.append(System.lineSeparator());
        of(Mode.SIMULTANEOUS, samples).stream().filter(s -> s.failure() != null).forEach(s -> out
                .append("failed simultaneous: ").append(s.failure()).append(System.lineSeparator()));
        of(Mode.SEQUENTIAL, samples).stream().filter(s -> s.failure() != null).forEach(s -> out
                .append("failed sequential: ").append(s.failure()).append(System.lineSeparator()));
        out.append(why(pair, Mode.SIMULTANEOUS, samples)).append(System.lineSeparator());
        out.append(why(pair, Mode.SEQUENTIAL, samples)).append(System.lineSeparator());
        return out.toString();
    }

    private static SkewStatistics row(StringBuilder out, Mode mode, List<Sample> samples) {
        List<Sample> ofMode = of(mode, samples);
        var stats = SkewStatistics.of(ofMode.stream().filter(Sample::counted).map(Sample::skewMillis).toList());
        long failed = ofMode.stream().filter(s -> !s.counted()).count();
        double wall = ofMode.stream().mapToLong(s -> s.wall().toMillis()).sum() / 1000.0;
        out.append(String.format("%-13s %3d %10s %10s %10s %7d %8s%n", mode.label(), stats.count(), ms(stats.p50()),
                ms(stats.p99()), ms(stats.max()), failed, fmt(wall)));
        return stats;
    }

    private static String ratio(SkewStatistics sequential, SkewStatistics simultaneous) {
        if (sequential.count() == 0 || simultaneous.count() == 0) {
            return "n/a (a mode has no successful sample)";
        }
        if (simultaneous.p50() <= 0) {
            return "n/a (simultaneous p50 is 0 ms at the log's microsecond resolution)";
        }
        return String.format("%.1fx", sequential.p50() / simultaneous.p50());
    }

    private static String why(PairUnderTest pair, Mode mode, List<Sample> samples) {
        if (!pair.hasSeedCommand()) {
            return mode == Mode.SIMULTANEOUS
                    ? "why simultaneous: each VM's command freezes its guest and takes an external disk-only snapshot"
                    + " right at the barrier; nothing on the host serialises two domains, and the copy and merge come"
                    + " after the snapshot."
                    : "why no sequential row: there is no seed command for plain libvirt; compare with vzdump's table.";
        }
        if (!pair.isVzdump()) {
            return mode == Mode.SIMULTANEOUS
                    ? "why simultaneous: the executor opens one SSH channel per VM, then releases both one-VM xsibackup"
                    + " calls at one barrier; what is left is dispatch and process-start jitter."
                    : "why sequential: one xsibackup call backs " + pair.controller() + " up, then " + pair.baremetal()
                    + ", so the second snapshot waits for the first VM's whole backup.";
        }
        if (mode == Mode.SEQUENTIAL) {
            return "why sequential: one vzdump call with VMIDs " + pair.controller() + " " + pair.baremetal()
                    + " takes the host lock once and backs them up one after another.";
        }
        List<Sample> simultaneous = of(Mode.SIMULTANEOUS, samples);
        long waited = simultaneous.stream().filter(s -> s.lockWaitMillis() > 0).count();
        var waits = SkewStatistics.of(simultaneous.stream().filter(s -> s.lockWaitMillis() > 0)
                .map(s -> (double) s.lockWaitMillis()).toList());
        return "why simultaneous: vzdump's per-host lock (/var/run/vzdump.lock) serialises the product's two concurrent"
                + " vzdump calls on " + pair.hypervisor() + " (the second waited for it in " + waited + " of "
                + simultaneous.size() + " runs, p50 " + (waited == 0 ? "-" : ms(waits.p50())) + " ms), so its snapshot"
                + " still starts a whole backup after the first: no gain over the seed on one KVM host with vzdump.";
    }

    private static List<Sample> of(Mode mode, List<Sample> samples) {
        return samples.stream().filter(s -> s.mode() == mode).toList();
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : fmt(value);
    }
}
