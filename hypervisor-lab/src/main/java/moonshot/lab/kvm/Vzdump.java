package moonshot.lab.kvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipOutputStream;
import moonshot.lab.Fault;
import moonshot.lab.Stamps;
import moonshot.lab.Wording;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.PacedCopy;
import moonshot.lab.tool.ShellQuote;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/**
 * vzdump: takes the host-wide lock, then backs the given VMIDs up one after another into
 * {@code <dumpdir>/vzdump-qemu-<vmid>-<yyyy_MM_dd-HH_mm_ss>.vma.lzo} (written as {@code .vma.dat} and
 * renamed when complete) with a {@code .log} beside it. Like the real one it reports on stderr.
 * {@code vzdump --restore <archive> <vmid>} is handed to {@link VzdumpRestore}.
 */
final class Vzdump implements Tool {
    private static final Set<String> VALUE_OPTIONS = Set.of("dumpdir", "mode", "compress", "lockwait", "storage",
            "mailto", "mailnotification", "maxfiles", "bwlimit", "ionice", "tmpdir", "notes-template",
            "prune-backups", "node", "pool", "exclude", "script", "stdexcludes", "remove", "zstd", "pigz",
            "performance");
    private static final Set<String> FLAGS = Set.of("snapshot", "suspend", "stop", "quiet", "restore", "force");
    private static final Set<String> COMPRESS_VALUES = Set.of("lzo", "gzip", "gz", "zstd", "0", "1");
    private static final Duration DEFAULT_LOCKWAIT = Duration.ofMinutes(180);

    /** Parsed command line. */
    private static final class Options {
        final List<String> positional = new ArrayList<>();
        final java.util.Map<String, String> values = new java.util.HashMap<>();
        final Set<String> flags = new java.util.HashSet<>();
        String error;

        String mode() {
            if (flags.contains("suspend")) {
                return "suspend";
            }
            if (flags.contains("stop")) {
                return "stop";
            }
            return values.getOrDefault("mode", "snapshot");
        }

        /**
         * vzdump 1.x (Debian's, whose {@code .tgz} the vzdump dialect was first written for) writes a tar, gzip'd with {@code --compress} (its man page:
         * "--compress compress dump file (gzip)"); Proxmox VE's writes a VMA, compressed as {@code --compress} says.
         */
        String extension(Wording wording) {
            String c = values.getOrDefault("compress", "0");
            if (wording == Wording.CLASSIC) {
                return c.equals("0") ? "tar" : "tgz";
            }
            return switch (c) {
                case "lzo", "1" -> "vma.lzo";
                case "gzip", "gz" -> "vma.gz";
                case "zstd" -> "vma.zst";
                default -> "vma";
            };
        }
    }

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        Options o = parse(call.args);
        if (o.error != null) {
            call.errLine(o.error);
            call.errLine("400 unable to parse option");
            call.errLine("vzdump help [<extra-args>] [OPTIONS]");
            return 255;
        }
        if (o.flags.contains("restore")) {
            if (o.positional.size() != 2) {
                call.errLine("400 not enough arguments");
                call.errLine("vzdump --restore <archive> <vmid> [--force]");
                return 255;
            }
            return VzdumpRestore.restore(call, o.positional.get(0), o.positional.get(1), o.flags.contains("force"));
        }
        List<Integer> vmids = new ArrayList<>();
        for (String p : o.positional) {
            if (!p.matches("\\d{1,9}")) {
                call.errLine("400 Parameter verification failed.");
                call.errLine("vmid: value '" + p + "' does not look like a valid VM ID");
                return 255;
            }
            vmids.add(Integer.parseInt(p));
        }
        if (vmids.isEmpty()) {
            call.errLine("400 not enough arguments");
            call.errLine("vzdump help [<extra-args>] [OPTIONS]");
            return 255;
        }
        Duration lockwait = DEFAULT_LOCKWAIT;
        if (o.values.containsKey("lockwait")) {
            try {
                lockwait = Duration.ofMinutes(Long.parseLong(o.values.get("lockwait")));
            } catch (NumberFormatException e) {
                call.errLine("400 Parameter verification failed.");
                call.errLine("lockwait: type check ('integer') failed - got '" + o.values.get("lockwait") + "'");
                return 255;
            }
        }
        Path dumpdir = o.values.containsKey("dumpdir") ? call.resolve(o.values.get("dumpdir")) : call.host.layout.dumpDir();
        Files.createDirectories(dumpdir);
        Optional<Fault> fault = call.fault(EnumSet.of(Fault.DISK_FULL, Fault.SNAPSHOT_ERROR, Fault.SLOW));

        VzdumpLock lock = call.host.vzdumpLock;
        if (!lockFor(call, lock, lockwait, vmids)) {
            return 255;
        }
        try {
            call.errLine("INFO: starting new backup job: vzdump " + ShellQuote.words(call.args));
            int failed = 0;
            for (int vmid : vmids) {
                if (!backUp(call, vmid, dumpdir, o, fault.orElse(null))) {
                    failed++;
                }
            }
            if (failed > 0) {
                call.errLine("INFO: Backup job finished with errors");
                call.errLine("job errors");
                return 255;
            }
            call.errLine("INFO: Backup job finished successfully");
            return 0;
        } finally {
            // Logged first, so the log never shows the next holder's LOCK_ACQUIRED before this release.
            try {
                call.log("LOCK_RELEASED", "vmids", join(vmids));
            } finally {
                lock.release();
            }
        }
    }

    private static boolean lockFor(ToolCall call, VzdumpLock lock, Duration lockwait, List<Integer> vmids)
            throws CallerGone, IOException {
        Instant asked = call.host.clock.instant();
        if (!lock.tryAcquire()) {
            call.log("LOCK_WAIT", "vmids", join(vmids), "lock", lock.file().toString());
            call.errLine("INFO: trying to get global lock - waiting...");
            call.progress("waiting", "lock");
            if (!lock.acquire(call, lockwait)) {
                call.log("LOCK_TIMEOUT", "vmids", join(vmids));
                call.errLine("ERROR: can't acquire lock '" + lock.file() + "' - got timeout");
                return false;
            }
            call.progress("waiting", null);
            call.errLine("INFO: got global lock");
        }
        try {
            lock.held("vzdump " + join(vmids));
        } catch (IOException e) {
            lock.release();
            throw e;
        }
        call.log("LOCK_ACQUIRED", "vmids", join(vmids),
                "waitedMs", Long.toString(Duration.between(asked, call.host.clock.instant()).toMillis()));
        return true;
    }

    private static boolean backUp(ToolCall call, int vmid, Path dumpdir, Options o, Fault fault)
            throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        Optional<String> name = kvm.nameOfVmid(vmid);
        Optional<DomainXml> domain = name.isPresent() ? kvm.domain(name.get()) : Optional.empty();
        if (domain.isEmpty()) {
            call.errLine("ERROR: Backup of VM " + vmid + " failed - unable to find VM '" + vmid + "'");
            call.log("BACKUP_FAILED", "vmid", Integer.toString(vmid), "reason", "no such VM");
            return false;
        }
        String vm = name.get();
        Instant start = call.host.clock.instant();
        Path base = dumpdir.resolve("vzdump-qemu-" + vmid + "-" + Stamps.VZDUMP_ARCHIVE.format(start));
        boolean newer = call.host.wording() == Wording.NEWER;
        Path archive = Path.of(base + "." + o.extension(call.host.wording()));
        // vzdump writes to the archive's name with its last extension replaced by .dat, and renames it when done.
        Path tmp = Path.of(archive.toString().replaceFirst("\\.[^.]+$", ".dat"));
        Report report = new Report(call, Path.of(base + ".log"));
        Duration total = call.scaled(call.host.timing.backup());
        String id = Integer.toString(vmid);

        report.info("Starting Backup of VM " + vmid + " (qemu)");
        call.log("BACKUP_STARTED", "vmid", id, "vm", vm);
        call.progress("vmid", id);
        call.progress("vm", vm);
        report.info("Backup started at " + Stamps.HUMAN.format(start));
        report.info("status = " + (kvm.isOn(vm) ? "running" : "stopped"));
        report.info("VM Name: " + vm);
        Path disk = domain.get().disk();
        if (!Files.isRegularFile(disk)) {
            report.error("Backup of VM " + vmid + " failed - unable to open '" + disk + "': No such file or directory");
            call.log("BACKUP_FAILED", "vmid", id, "vm", vm, "reason", "disk missing");
            return false;
        }
        long size = Files.size(disk);
        report.info("include disk 'virtio0' '" + disk + "' " + PacedCopy.human(size));
        report.info("backup mode: " + o.mode());
        report.info("ionice priority: 7");
        report.info((newer ? "creating vzdump archive '" : "creating archive '") + archive + "'");

        call.log("SNAPSHOT_STARTED", "vmid", id, "vm", vm);
        if (newer) {
            report.info("starting kvm to execute backup task");
        }
        call.pause(total.multipliedBy(5).dividedBy(100));
        if (fault == Fault.SNAPSHOT_ERROR) {
            call.log("SNAPSHOT_FAILED", "vmid", id, "vm", vm);
            report.error("Backup of VM " + vmid + " failed - VM " + vmid + " qmp command 'backup' failed - "
                    + "Cannot create snapshot of drive-virtio0: Could not create snapshot");
            call.log("BACKUP_FAILED", "vmid", id, "vm", vm, "reason", "snapshot error");
            return false;
        }
        report.info("started backup task '" + UUID.nameUUIDFromBytes(base.toString().getBytes(StandardCharsets.UTF_8))
                + "'");
        call.log("SNAPSHOT_FINISHED", "vmid", id, "vm", vm);

        call.progress("partial", tmp.toString());
        Instant copyStart = call.host.clock.instant();
        boolean copied;
        OutputStream file = Files.newOutputStream(tmp);
        try {
            ZipOutputStream zip = VzdumpArchive.open(file, Files.readString(
                    call.host.layout.vmConfigs().resolve(vmid + ".conf"), StandardCharsets.UTF_8), domain.get().xml());
            int[] lastQuarter = {0};
            try (InputStream in = Files.newInputStream(disk)) {
                copied = PacedCopy.copy(call, in, zip, size, total.multipliedBy(95).dividedBy(100),
                        fault == Fault.DISK_FULL, (done, all) -> {
                            int quarter = all == 0 ? 4 : (int) (done * 4 / all);
                            if (newer && quarter > lastQuarter[0]) {
                                lastQuarter[0] = quarter;
                                long secs = Math.max(1, Duration.between(copyStart, call.host.clock.instant())
                                        .toSeconds());
                                String rate = PacedCopy.human(done / secs) + "/s";
                                report.info(String.format("%3d%% (%s of %s) in %ds, read: %s, write: %s",
                                        quarter * 25, PacedCopy.human(done), PacedCopy.human(all), secs, rate, rate));
                            }
                        });
            }
            if (copied) {
                zip.closeEntry();
                zip.finish();
            }
        } finally {
            // Unfinished, the zip is left without its directory: as truncated as a killed vma writer leaves it.
            file.close();
        }
        if (!copied) {
            report.error("vma_queue_write: write error - No space left on device");
            report.info("aborting backup job");
            Files.deleteIfExists(tmp);
            report.error("Backup of VM " + vmid + " failed - vma_queue_write: write error - No space left on device");
            call.log("BACKUP_FAILED", "vmid", id, "vm", vm, "reason", "No space left on device");
            call.progress("partial", null);
            return false;
        }
        Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        call.progress("partial", null);
        long secs = Math.max(1, Duration.between(copyStart, call.host.clock.instant()).toSeconds());
        if (newer) {
            report.info("transferred " + PacedCopy.human(size) + " in " + secs + " seconds ("
                    + PacedCopy.human(size / secs) + "/s)");
        } else {
            report.info("Total bytes written: " + size + " (" + PacedCopy.human(size / secs) + "/s)");
        }
        report.info("archive file size: " + PacedCopy.human(Files.size(archive)));
        Instant end = call.host.clock.instant();
        report.info("Finished Backup of VM " + vmid + " (" + Stamps.elapsed(Duration.between(start, end)) + ")");
        report.info("Backup finished at " + Stamps.HUMAN.format(end));
        call.log("BACKUP_FINISHED", "vmid", id, "vm", vm, "archive", archive.toString(),
                "bytes", Long.toString(Files.size(archive)));
        call.progress("vm", null);
        call.progress("vmid", null);
        return true;
    }

    private static Options parse(List<String> args) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                o.positional.add(arg);
                continue;
            }
            String key = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = key.indexOf('=');
            if (eq > 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("compress")) {
                if (value == null) {
                    boolean next = i + 1 < args.size() && COMPRESS_VALUES.contains(args.get(i + 1));
                    value = next ? args.get(++i) : "lzo";
                }
                o.values.put(key, value);
            } else if (VALUE_OPTIONS.contains(key)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        o.error = "option '" + key + "' needs a value";
                        return o;
                    }
                    value = args.get(++i);
                }
                o.values.put(key, value);
            } else if (FLAGS.contains(key)) {
                boolean on = value == null || !value.equals("0");
                if (value == null && key.equals("force") && i + 1 < args.size() && args.get(i + 1).matches("[01]")) {
                    on = args.get(++i).equals("1");
                }
                if (on) {
                    o.flags.add(key);
                }
            } else {
                o.error = "Unknown option: " + key;
                return o;
            }
        }
        return o;
    }

    private static String join(List<Integer> vmids) {
        return String.join(",", vmids.stream().map(String::valueOf).toList());
    }

    /** vzdump's two audiences: the caller's stderr, and the {@code .log} beside the archive. */
    private static final class Report {
        private final ToolCall call;
        private final Path logFile;

        Report(ToolCall call, Path logFile) {
            this.call = call;
            this.logFile = logFile;
        }

        void info(String message) throws CallerGone {
            line("INFO: " + message);
        }

        void error(String message) throws CallerGone {
            line("ERROR: " + message);
        }

        private void line(String line) throws CallerGone {
            try {
                Files.writeString(logFile, Stamps.HUMAN.format(call.host.clock.instant()) + " " + line + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the caller still gets the line; the log file is a courtesy
            }
            call.errLine(line);
        }
    }
}
