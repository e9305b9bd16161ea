package moonshot.lab.esxi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Fault;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.Tool;
import moonshot.lab.tool.ToolCall;

/** ESXi's {@code vim-cmd}: the {@code vmsvc/} inventory, power and snapshot commands and {@code solo/registervm}. */
final class VimCmd implements Tool {

    @Override
    public int run(ToolCall call) throws CallerGone, IOException {
        call.fault(Set.of(Fault.SLOW));
        if (call.args.isEmpty()) {
            call.errLine("Insufficient arguments.");
            return 1;
        }
        String command = call.args.get(0);
        switch (command) {
            case "vmsvc/getallvms":
                call.pauseIfSlow();
                return getAllVms(call);
            case "vmsvc/power.getstate":
                call.pauseIfSlow();
                return withVm(call, vm -> {
                    call.outLine("Retrieved runtime info");
                    call.outLine(call.host.esxi.isOn(vm.vmid()) ? "Powered on" : "Powered off");
                    return 0;
                });
            case "vmsvc/power.on":
                return withVm(call, vm -> powerOn(call, vm));
            case "vmsvc/power.off":
                return withVm(call, vm -> powerOff(call, vm, "Powering off VM:", "POWERING_OFF"));
            case "vmsvc/power.shutdown":
                return withVm(call, vm -> powerOff(call, vm, null, "SHUTTING_DOWN"));
            case "vmsvc/snapshot.get":
                call.pauseIfSlow();
                return withVm(call, vm -> snapshotGet(call, vm));
            case "vmsvc/unregister":
                call.pauseIfSlow();
                return withVm(call, vm -> unregister(call, vm));
            case "solo/registervm":
                call.pauseIfSlow();
                return register(call);
            default:
                call.errLine("Unknown command: '" + command + "'");
                return 1;
        }
    }

    private interface VmAction {
        int on(EsxiHost.Vm vm) throws CallerGone, IOException;
    }

    private static int withVm(ToolCall call, VmAction action) throws CallerGone, IOException {
        if (call.args.size() < 2) {
            call.errLine("Insufficient arguments.");
            return 1;
        }
        String id = call.args.get(1);
        Optional<EsxiHost.Vm> vm = call.host.esxi.byId(id);
        if (vm.isEmpty() || vm.get().config() == null) {
            call.errLine("Unable to find a VM corresponding to \"" + id + "\"");
            return 1;
        }
        return action.on(vm.get());
    }

    private static int getAllVms(ToolCall call) throws CallerGone, IOException {
        EsxiHost esxi = call.host.esxi;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Vmid", "Name", "File", "Guest OS", "Version", "Annotation"});
        for (EsxiHost.Vm vm : esxi.registered()) {
            if (vm.config() == null) {
                call.outLine("Skipping invalid VM '" + vm.vmid() + "'");
                continue;
            }
            rows.add(new String[] {Integer.toString(vm.vmid()), vm.name(), esxi.datastorePath(vm.vmx()),
                    vm.config().guestIdentifier(), vm.config().hardwareVersion(), vm.config().annotation()});
        }
        int[] widths = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i < row.length - 1 ? pad(row[i], widths[i] + 3) : row[i]);
            }
            table.append(line).append('\n');
        }
        call.out(table.toString());
        return 0;
    }

    private static int powerOn(ToolCall call, EsxiHost.Vm vm) throws CallerGone, IOException {
        call.outLine("Powering on VM:");
        if (call.host.esxi.isOn(vm.vmid())) {
            invalidPowerState(call, "poweredOn", "Powered on");
            return 1;
        }
        if (!Files.isRegularFile(vm.flatDisk())) {
            call.log("POWER_ON_FAILED", "vm", vm.name(), "vmid", Integer.toString(vm.vmid()), "reason", "disk missing");
            call.err("(vim.fault.FileNotFound) {\n   faultCause = (vmodl.MethodFault) null, \n"
                    + "   faultMessage = <unset>, \n   file = \"" + call.host.esxi.datastorePath(vm.descriptor())
                    + "\", \n   msg = \"File " + call.host.esxi.datastorePath(vm.descriptor())
                    + " was not found\"\n}\n");
            return 1;
        }
        call.log("POWERING_ON", "vm", vm.name(), "vmid", Integer.toString(vm.vmid()));
        call.pauseRegardless(call.scaled(call.host.timing.powerDelay()));
        java.time.Instant deployAt = call.host.deployments.deployAtFromNow();
        call.host.esxi.powerOn(vm.vmid(), deployAt);
        call.log("POWERED_ON", "vm", vm.name(), "vmid", Integer.toString(vm.vmid()), "deployedAt", deployAt.toString());
        call.host.deployments.schedule(EsxiHost.stateKey(vm.vmid()), vm.name(), deployAt);
        return 0;
    }

    private static int powerOff(ToolCall call, EsxiHost.Vm vm, String banner, String action)
            throws CallerGone {
        if (banner != null) {
            call.outLine(banner);
        }
        if (!call.host.esxi.isOn(vm.vmid())) {
            invalidPowerState(call, "poweredOff", "Powered off");
            return 1;
        }
        call.log(action, "vm", vm.name(), "vmid", Integer.toString(vm.vmid()));
        Duration delay = call.scaled(call.host.timing.powerDelay());
        call.pauseRegardless(delay);
        call.host.esxi.setPower(vm.vmid(), false);
        call.log("POWERED_OFF", "vm", vm.name(), "vmid", Integer.toString(vm.vmid()));
        return 0;
    }

    /**
     * The snapshot tree as vim-cmd prints it (hostd's {@code vim.vm.SnapshotTree}: name, id, description, createTime,
     * state; "Desciption" is vim-cmd's own spelling). Only {@code Get Snapshot:} when the VM has none.
     */
    private static int snapshotGet(ToolCall call, EsxiHost.Vm vm) throws CallerGone, IOException {
        call.outLine("Get Snapshot:");
        Optional<EsxiHost.Snapshot> snapshot = call.host.esxi.currentSnapshot(vm);
        if (snapshot.isPresent()) {
            java.time.ZonedDateTime at = snapshot.get().createdOn().atZone(java.time.ZoneOffset.UTC);
            call.outLine("|-ROOT");
            call.outLine("--Snapshot Name        : XSIBACKUP-" + vm.name());
            call.outLine("--Snapshot Id        : " + snapshot.get().id());
            call.outLine("--Snapshot Desciption  : ");
            call.outLine("--Snapshot Created On  : " + at.getMonthValue() + "/" + at.getDayOfMonth() + "/"
                    + at.getYear() + " " + at.getHour() + ":" + at.getMinute() + ":" + at.getSecond());
            call.outLine("--Snapshot State       : " + (call.host.esxi.isOn(vm.vmid()) ? "powered on" : "powered off"));
        }
        return 0;
    }

    private static int unregister(ToolCall call, EsxiHost.Vm vm) throws CallerGone, IOException {
        if (call.host.esxi.isOn(vm.vmid())) {
            invalidPowerState(call, "poweredOn", "Powered on");
            return 1;
        }
        call.host.esxi.unregister(vm.vmid());
        call.log("UNREGISTERED", "vm", vm.name(), "vmid", Integer.toString(vm.vmid()), "vmx", vm.vmx().toString());
        return 0;
    }

    private static int register(ToolCall call) throws CallerGone, IOException {
        if (call.args.size() < 2) {
            call.errLine("Insufficient arguments.");
            return 1;
        }
        Path vmx = call.resolve(call.args.get(1));
        if (!Files.isRegularFile(vmx) || !vmx.getFileName().toString().endsWith(".vmx")) {
            call.err("(vim.fault.NotFound) {\n   faultCause = (vmodl.MethodFault) null, \n"
                    + "   faultMessage = <unset>, \n"
                    + "   msg = \"The object or item referred to could not be found.\"\n}\n");
            return 1;
        }
        Optional<Integer> vmid = call.host.esxi.register(vmx);
        if (vmid.isEmpty()) {
            call.err("(vim.fault.AlreadyExists) {\n   faultCause = (vmodl.MethodFault) null, \n"
                    + "   faultMessage = <unset>, \n   name = \"" + vmx + "\", \n"
                    + "   msg = \"The specified key, name, or identifier '" + vmx + "' already exists.\"\n}\n");
            return 1;
        }
        VmxFile config = VmxFile.read(vmx);
        call.log("REGISTERED", "vm", config.displayName(), "vmid", vmid.get().toString(), "vmx", vmx.toString(),
                "macs", String.join(",", config.macs()));
        call.outLine(vmid.get().toString());
        return 0;
    }

    private static void invalidPowerState(ToolCall call, String existing, String human) throws CallerGone {
        call.err("(vim.fault.InvalidPowerState) {\n   faultCause = (vmodl.MethodFault) null, \n"
                + "   faultMessage = <unset>, \n   requestedState = \"" + ("poweredOn".equals(existing)
                ? "poweredOff" : "poweredOn") + "\", \n   existingState = \"" + existing + "\", \n"
                + "   msg = \"The attempted operation cannot be performed in the current state (" + human + ").\"\n}\n");
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) {
            b.append(' ');
        }
        return b.toString();
    }
}
