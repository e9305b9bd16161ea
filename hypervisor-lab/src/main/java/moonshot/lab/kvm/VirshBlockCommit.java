package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Wording;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code virsh blockcommit <dom> <disk> --active --pivot [--wait] [--verbose] [--shallow] [--base <path>]
 * [--delete] [--keep-overlay]}: merges the overlays above the base back into it while the guest runs, then moves
 * the disk back onto the base. The overlay files stay (libvirt leaves them, the caller removes them) unless
 * {@code --delete}. Lines as {@code tools/virsh-domain.c} (cmdBlockcommit, virshPrintJobProgress) prints them; the
 * QEMU driver's errors as libvirt reports them (texts checked against tp-libvirt's negative blockcommit cases).
 *
 * <p>It takes a quarter of the host's backup duration (five times that with SLOW); {@code --verbose} prints a
 * progress line on stderr every half second, as virsh polls. A caller that hangs up aborts it with nothing merged.
 */
final class VirshBlockCommit {
    private static final String COMMAND = "blockcommit";
    private static final Set<String> FLAGS = Set.of("shallow", "active", "delete", "wait", "verbose", "pivot",
            "keep-overlay", "async", "keep-relative", "bytes");
    private static final Set<String> VALUES = Set.of("domain", "path", "bandwidth", "base", "top", "timeout");
    private static final Duration POLL = Duration.ofMillis(500);

    private VirshBlockCommit() {
    }

    static int run(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse(COMMAND, args, FLAGS, VALUES, List.of("domain", "path"), null);
        Optional<String> usage = usageError(a);
        if (usage.isPresent()) {
            call.errLine("error: " + usage.get());
            return 1;
        }
        boolean pivot = a.has("pivot");
        boolean keepOverlay = a.has("keep-overlay");
        boolean active = a.has("active") || pivot || keepOverlay;
        call.pauseIfSlow();
        Optional<String> found = Virsh.findDomain(call, a.value("domain").get());
        if (found.isEmpty()) {
            return 1;
        }
        String vm = found.get();
        KvmHost kvm = call.host.kvm;
        if (!kvm.isOn(vm)) {
            call.errLine("error: Requested operation is not valid: domain is not running");
            return 1;
        }
        String path = a.value("path").get();
        DomainXml domain = kvm.domain(vm).orElseThrow();
        Path top = domain.disk();
        if (!path.equals(domain.target()) && !call.resolve(path).equals(top)) {
            call.errLine("error: invalid argument: disk '" + path + "' not found in domain");
            return 1;
        }
        List<Path> chain = DiskChain.of(top);
        Optional<String> topError = checkTop(a, call, chain, path);
        if (topError.isPresent()) {
            call.errLine("error: " + topError.get());
            return 1;
        }
        if (!active) {
            call.errLine("error: invalid argument: commit of '" + domain.target() + "' active layer requires active flag");
            return 1;
        }
        Path base = a.has("shallow") ? chain.get(1) : chain.get(chain.size() - 1);
        if (a.value("base").isPresent()) {
            Path wanted = call.resolve(a.value("base").get());
            int at = chain.indexOf(wanted);
            if (at < 1) {
                call.errLine("error: invalid argument: could not find image '" + a.value("base").get()
                        + "' beneath '" + top + "' in chain for '" + path + "'");
                return 1;
            }
            base = wanted;
        }
        if (!pivot && !keepOverlay) {
            call.errLine("error: this lab simulates an active commit only to its end: add --pivot or --keep-overlay");
            return 1;
        }
        return commit(call, vm, path, base, pivot, a.has("delete"), a.has("verbose"), quiet);
    }

    private static int commit(ToolCall call, String vm, String path, Path base, boolean pivot, boolean delete,
                              boolean verbose, boolean quiet) throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        Path top = kvm.domain(vm).orElseThrow().disk();
        call.log("BLOCKCOMMIT_STARTED", "vm", vm, "disk", path, "top", top.toString(), "base", base.toString());
        call.progress("vm", vm);
        call.progress("blockcommit", top.toString());
        kvm.jobWriting(base, true);
        try {
            Duration total = call.scaled(call.host.timing.backup()).dividedBy(4);
            int polls = (int) Math.max(1, Math.min(200, (total.toNanos() + POLL.toNanos() - 1) / POLL.toNanos()));
            if (verbose) {
                progress(call, 0);
            }
            for (int i = 1; i <= polls; i++) {
                call.pause(total.dividedBy(polls));
                if (verbose && i < polls) {
                    progress(call, Math.min(99.99, 100.0 * i / polls));
                }
            }
            long bytes = kvm.withDisks(() -> merge(kvm, vm, base, pivot, delete));
            call.log("BLOCKCOMMIT_FINISHED", "vm", vm, "base", base.toString(), "bytes", Long.toString(bytes),
                    "pivoted", Boolean.toString(pivot));
        } finally {
            kvm.jobWriting(base, false);
        }
        call.progress("blockcommit", null);
        call.progress("vm", null);
        if (verbose) {
            progress(call, 100);
        }
        if (!quiet) {
            call.out("\n" + (pivot ? "Successfully pivoted" : "Commit complete, overlay image kept"));
        }
        return 0;
    }

    /** The job's end, at one instant for the guest: the data lands in the base and the disk moves onto it. */
    private static long merge(KvmHost kvm, String vm, Path base, boolean pivot, boolean delete) throws IOException {
        DomainXml domain = kvm.domain(vm).orElseThrow();
        List<Path> chain = DiskChain.of(domain.disk());
        int baseAt = chain.indexOf(base);
        long bytes = DiskChain.commit(chain, base);
        if (pivot) {
            kvm.writeDomain(vm, domain.withDiskChain(chain.subList(baseAt, chain.size())));
            if (delete) {
                for (Path overlay : chain.subList(0, baseAt)) {
                    Files.deleteIfExists(overlay);
                }
            }
        }
        return bytes;
    }

    /** virsh's progress line (stderr, carriage return first): older virsh printed whole percents. */
    private static void progress(ToolCall call, double percent) throws CallerGone {
        String shown = call.host.wording() == Wording.CLASSIC
                ? String.format(Locale.ROOT, "%3d", (int) percent)
                : String.format(Locale.ROOT, "%5.2f", (int) (percent * 100) / 100.0);
        call.err("\rBlock commit: [" + shown + " %]");
    }

    private static Optional<String> checkTop(VirshArgs a, ToolCall call, List<Path> chain, String path) {
        Path top = chain.get(0);
        if (a.value("top").isPresent()) {
            String wanted = a.value("top").get();
            Path resolved = call.resolve(wanted);
            if (!wanted.equals(path) && !resolved.equals(top)) {
                return Optional.of(chain.contains(resolved)
                        ? "this lab simulates only the commit of the active layer (no --top below it)"
                        : "invalid argument: could not find image '" + wanted + "' in chain for '" + path + "'");
            }
        }
        if (chain.size() < 2) {
            return Optional.of("invalid argument: top '" + top + "' in chain for '" + path + "' has no backing file");
        }
        return Optional.empty();
    }

    private static Optional<String> usageError(VirshArgs a) {
        if (a.error().isPresent()) {
            return a.error();
        }
        if (a.value("domain").isEmpty()) {
            return Optional.of("command '" + COMMAND + "' requires <domain> option");
        }
        if (a.value("path").isEmpty()) {
            return Optional.of("command '" + COMMAND + "' requires <path> option");
        }
        if (a.has("pivot") && a.has("keep-overlay")) {
            return Optional.of("Options --pivot and --keep-overlay are mutually exclusive");
        }
        boolean blocking = a.has("wait") || a.has("pivot") || a.has("keep-overlay") || a.value("timeout").isPresent();
        if (!blocking && a.has("verbose")) {
            return Optional.of("--verbose requires at least one of --timeout, --wait, --pivot, or --keep-overlay");
        }
        if (!blocking && a.has("async")) {
            return Optional.of("--async requires at least one of --timeout, --wait, --pivot, or --keep-overlay");
        }
        return Optional.empty();
    }
}
