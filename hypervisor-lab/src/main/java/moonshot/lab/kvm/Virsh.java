package moonshot.lab.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import moonshot.lab.DiskImages;
import moonshot.lab.Fault;
import moonshot.lab.HostRuntime;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/**
 * libvirt's {@code virsh}: list, domstate, start, shutdown, destroy, domiflist, dumpxml, domid, domuuid, and the
 * {@code libvirt-external} commands handed to {@link VirshGuestAgent}, {@link VirshSnapshots},
 * {@link VirshBlockCommit}, {@link VirshDomblklist} and {@link VirshDefine}.
 * Like virsh, every command's output is followed by an empty line unless {@code --quiet}; tables are laid
 * out as libvirt's vsh-table does (a leading space per cell, three spaces between columns).
 */
final class Virsh implements Tool {

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        call.fault(Set.of(Fault.SLOW));
        List<String> args = new ArrayList<>(call.args);
        boolean quiet = false;
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String opt = args.remove(0);
            if ((opt.equals("-c") || opt.equals("--connect")) && !args.isEmpty()) {
                args.remove(0);
            } else if (opt.equals("-q") || opt.equals("--quiet")) {
                quiet = true;
            }
        }
        if (args.isEmpty()) {
            call.errLine("error: no command given (this simulation has no interactive shell)");
            return 1;
        }
        String command = args.remove(0);
        int code = dispatch(call, command, args, quiet);
        if (!quiet) {
            call.out("\n");
        }
        return code;
    }

    private int dispatch(ToolCall call, String command, List<String> args, boolean quiet)
            throws CallerGone, IOException {
        switch (command) {
            case "list":
                call.pauseIfSlow();
                return list(call, args, quiet);
            case "domstate":
                call.pauseIfSlow();
                return withDomain(call, command, args, name -> {
                    call.outLine(call.host.kvm.isOn(name) ? "running" : "shut off");
                    return 0;
                });
            case "domid":
                call.pauseIfSlow();
                return withDomain(call, command, args, name -> {
                    call.outLine(call.host.kvm.domid(name));
                    return 0;
                });
            case "domuuid":
                call.pauseIfSlow();
                return withDomain(call, command, args, name -> {
                    call.outLine(call.host.kvm.domain(name).orElseThrow().uuid());
                    return 0;
                });
            case "dumpxml":
                call.pauseIfSlow();
                return withDomain(call, command, args, name -> {
                    DomainXml d = call.host.kvm.domain(name).orElseThrow();
                    call.out(args.contains("--inactive") ? d.xml() : d.withId(call.host.kvm.domid(name)));
                    return 0;
                });
            case "domiflist":
                call.pauseIfSlow();
                return withDomain(call, command, args, name -> domiflist(call, name, quiet));
            case "start":
                return withDomain(call, command, args, name -> start(call, name));
            case "shutdown":
                return withDomain(call, command, args, name -> shutdown(call, name));
            case "destroy":
                return withDomain(call, command, args, name -> destroy(call, name));
            case "domfsfreeze":
                return VirshGuestAgent.freeze(call, args, quiet);
            case "domfsthaw":
                return VirshGuestAgent.thaw(call, args, quiet);
            case "snapshot-create-as":
                return VirshSnapshots.createAs(call, args, quiet);
            case "domblklist":
                call.pauseIfSlow();
                return VirshDomblklist.run(call, args, quiet);
            case "blockcommit":
                return VirshBlockCommit.run(call, args, quiet);
            case "define":
                call.pauseIfSlow();
                return VirshDefine.define(call, args, quiet);
            case "undefine":
                call.pauseIfSlow();
                return VirshDefine.undefine(call, args, quiet);
            default:
                call.errLine("error: unknown command: '" + command + "'");
                return 1;
        }
    }

    private interface DomainAction {
        int on(String name) throws CallerGone, IOException;
    }

    /** virsh accepts a domain by name, running Id or UUID. */
    private static int withDomain(ToolCall call, String command, List<String> args, DomainAction action)
            throws CallerGone, IOException {
        Optional<String> ref = args.stream().filter(a -> !a.startsWith("--")).findFirst();
        if (ref.isEmpty()) {
            call.errLine("error: command '" + command + "' requires <domain> option");
            return 1;
        }
        Optional<String> name = findDomain(call, ref.get());
        return name.isEmpty() ? 1 : action.on(name.get());
    }

    /** The domain's name, or empty after printing virsh's {@code failed to get domain} error. */
    static Optional<String> findDomain(ToolCall call, String wanted) throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        if (kvm.domain(wanted).isPresent()) {
            return Optional.of(wanted);
        }
        for (String candidate : kvm.names()) {
            if (kvm.domid(candidate).equals(wanted)
                    || kvm.domain(candidate).map(d -> d.uuid().equals(wanted)).orElse(false)) {
                return Optional.of(candidate);
            }
        }
        call.errLine("error: failed to get domain '" + wanted + "'");
        return Optional.empty();
    }

    private static int list(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        boolean all = args.contains("--all");
        boolean inactiveOnly = args.contains("--inactive");
        // One look at each domain's Id, so a shutdown completing meanwhile cannot make a row disagree with itself.
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String name : kvm.names()) {
            ids.put(name, kvm.domid(name));
        }
        List<String> running = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        ids.forEach((name, id) -> ("-".equals(id) ? stopped : running).add(name));
        running.sort((a, b) -> Integer.compare(Integer.parseInt(ids.get(a)), Integer.parseInt(ids.get(b))));
        List<String> shown = new ArrayList<>();
        if (!inactiveOnly) {
            shown.addAll(running);
        }
        if (all || inactiveOnly) {
            shown.addAll(stopped);
        }
        if (args.contains("--name")) {
            StringBuilder names = new StringBuilder();
            shown.forEach(n -> names.append(n).append('\n'));
            call.out(names.toString());
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Id", "Name", "State"});
        for (String name : shown) {
            String id = ids.get(name);
            rows.add(new String[] {id, name, "-".equals(id) ? "shut off" : "running"});
        }
        call.out(table(rows, !quiet));
        return 0;
    }

    private static int domiflist(ToolCall call, String name, boolean quiet) throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        DomainXml d = kvm.domain(name).orElseThrow();
        String domid = kvm.domid(name);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Interface", "Type", "Source", "Model", "MAC"});
        for (int i = 0; i < d.macs().size(); i++) {
            String iface = "-".equals(domid) ? "-" : "vnet" + ((Integer.parseInt(domid) - 1) * 4 + i);
            rows.add(new String[] {iface, "bridge", d.bridge(i), d.model(i), d.macs().get(i)});
        }
        call.out(table(rows, !quiet));
        return 0;
    }

    private static int start(ToolCall call, String name) throws CallerGone, IOException {
        KvmHost kvm = call.host.kvm;
        if (kvm.isOn(name)) {
            call.errLine("error: Failed to start domain '" + name + "'");
            call.errLine("error: Requested operation is not valid: domain is already running");
            return 1;
        }
        DomainXml d = kvm.domain(name).orElseThrow();
        if (!Files.isRegularFile(d.disk())) {
            call.log("POWER_ON_FAILED", "vm", name, "reason", "disk missing");
            call.errLine("error: Failed to start domain '" + name + "'");
            call.errLine("error: Cannot access storage file '" + d.disk() + "': No such file or directory");
            return 1;
        }
        List<java.nio.file.Path> chain = DiskChain.of(d.disk());
        Optional<java.nio.file.Path> backing = DiskChain.missing(chain);
        if (backing.isPresent()) {
            call.log("POWER_ON_FAILED", "vm", name, "reason", "backing file missing");
            call.errLine("error: Failed to start domain '" + name + "'");
            java.nio.file.Path over = chain.get(chain.indexOf(backing.get()) - 1);
            call.errLine("error: Cannot access backing file '" + backing.get() + "' of storage file '" + over
                    + "' (as uid:107, gid:107): No such file or directory");
            return 1;
        }
        if (!DiskImages.startsWith(d.disk(), DiskImages.QCOW2_MAGIC)) {
            call.log("POWER_ON_FAILED", "vm", name, "reason", "disk corrupt");
            call.errLine("error: Failed to start domain '" + name + "'");
            call.errLine("error: internal error: process exited while connecting to monitor: "
                    + "qemu-system-x86_64: -blockdev {\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\"}: "
                    + "Image is not in qcow2 format");
            return 1;
        }
        call.log("POWERING_ON", "vm", name);
        call.pauseRegardless(call.scaled(call.host.timing.powerDelay()));
        java.time.Instant deployAt = call.host.deployments.deployAtFromNow();
        String domid = kvm.start(name, deployAt);
        call.log("POWERED_ON", "vm", name, "domid", domid, "deployedAt", deployAt.toString());
        call.host.deployments.schedule(name, name, deployAt);
        call.outLine("Domain '" + name + "' started");
        return 0;
    }

    /** Like a guest's ACPI shutdown: the command returns at once, the domain goes off a power delay later. */
    private static int shutdown(ToolCall call, String name) throws CallerGone {
        KvmHost kvm = call.host.kvm;
        if (!kvm.isOn(name)) {
            call.errLine("error: Failed to shutdown domain '" + name + "'");
            call.errLine("error: Requested operation is not valid: domain is not running");
            return 1;
        }
        boolean already = call.host.state.read(v -> v.isShuttingDown(name));
        if (!already) {
            Duration delay = call.scaled(call.host.timing.powerDelay());
            String token = kvm.scheduleShutdown(name, delay);
            call.log("SHUTTING_DOWN", "vm", name);
            HostRuntime host = call.host;
            host.scheduler.schedule(() -> {
                if (host.kvm.completeShutdown(name, token)) {
                    host.log.append("virsh", "POWERED_OFF", "vm", name);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        call.outLine("Domain '" + name + "' is being shutdown");
        return 0;
    }

    private static int destroy(ToolCall call, String name) throws CallerGone {
        KvmHost kvm = call.host.kvm;
        if (!kvm.isOn(name)) {
            call.errLine("error: Failed to destroy domain '" + name + "'");
            call.errLine("error: Requested operation is not valid: domain is not running");
            return 1;
        }
        call.log("POWERING_OFF", "vm", name);
        call.pauseRegardless(call.scaled(call.host.timing.powerDelay()));
        kvm.stop(name);
        call.log("POWERED_OFF", "vm", name);
        call.outLine("Domain '" + name + "' destroyed");
        return 0;
    }

    /** libvirt's vsh-table layout. */
    static String table(List<String[]> rows, boolean header) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (int r = header ? 0 : 1; r < rows.size(); r++) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], rows.get(r)[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = header ? 0 : 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                out.append(' ').append(row[c]);
                if (c < columns - 1) {
                    out.append(" ".repeat(widths[c] - row[c].length() + 2));
                }
            }
            out.append('\n');
            if (r == 0 && header) {
                int dashes = 0;
                for (int w : widths) {
                    dashes += w + 3;
                }
                out.append("-".repeat(dashes)).append('\n');
            }
        }
        return out.toString();
    }
}
