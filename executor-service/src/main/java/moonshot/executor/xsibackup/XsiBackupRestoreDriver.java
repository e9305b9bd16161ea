package moonshot.executor.xsibackup;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.RestoreNode;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;
import moonshot.executor.dialect.ExpectedMacs;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.RestoreDriver;
import moonshot.executor.dialect.RestoreFailedException;
import moonshot.executor.dialect.UnsafeValueException;
import moonshot.executor.ssh.CommandResult;

import java.nio.file.Path;
import java.util.List;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * ESXi restore from an XSIBackup-Classic folder {@code <point>/<stamp>/<vm>}: check that the VM is not running and
 * the backup's {@code .vmx} (its name, and its MACs when they are expected); then {@code vim-cmd vmsvc/unregister
 * <vmid>} if it is registered, {@code rm -rf -- '<datastore>/<vm>'}, {@code cp -r -- '<backup>' '<datastore>/<vm>'},
 * {@code vim-cmd solo/registervm '<datastore>/<vm>/<vm>.vmx'}; then verify that the VM is listed under its name with
 * the Vmid registervm printed and that the registered {@code .vmx} has the expected MACs. ESXi hands out a new Vmid at
 * every registration; the restored VM's Vmid is reported as it is.
 */
@ApplicationScoped
public class XsiBackupRestoreDriver implements RestoreDriver {

    @Override
    public Dialect dialect() {
        return Dialect.XSIBACKUP_CLASSIC;
    }

    @Override
    public Restored restore(HypervisorConnection hypervisor, RestoreNode command, RemoteShell shell) {
        String vm = CommandValues.vmName(command.vmName());
        Paths paths = paths(hypervisor, vm, command.artifactPath());

        ListedVm registered = VimCmdPowerDriver.registered(listing(hypervisor, shell), vm);
        if (registered != null) {
            String vmid = VimCmdPowerDriver.vmid(registered.vmId());
            if (registered.configPath() == null
                    || !Path.of(registered.configPath()).normalize().toString().equals(paths.vmx())) {
                throw new RestoreFailedException(vm + " is registered from " + registered.configPath() + ", not "
                        + paths.vmx() + "; restore it by hand; nothing was changed");
            }
            CommandResult state = succeeded(shell.run("vim-cmd vmsvc/power.getstate " + vmid), null);
            if (DiscoveryDriver.ON.equals(VimCmdDiscoveryDriver.powerState(registered, state.stdout()))) {
                throw new RestoreFailedException(vm + " is running (Vmid " + vmid
                        + "): power it off first; nothing was changed");
            }
        }
        checkBackup(command, vm, shell.run(catCommand(paths.backupVmx())));
        if (registered != null) {
            succeeded(shell.run(unregisterCommand(registered.vmId())), null);
        }
        succeeded(shell.runLong(removeCommand(paths.vmDir())), null);
        succeeded(shell.runLong(copyCommand(paths.backup(), paths.vmDir())), null);
        String vmid = registeredVmid(succeeded(shell.run(registerCommand(paths.vmx())), null).stdout());

        ListedVm listed = VimCmdPowerDriver.registered(listing(hypervisor, shell), vm);
        if (listed == null) {
            throw new RestoreFailedException("after registration as Vmid " + vmid + ", `" + VimCmdPowerDriver.LIST
                    + "` does not list " + vm);
        }
        if (!vmid.equals(listed.vmId())) {
            throw new RestoreFailedException("after registration as Vmid " + vmid + ", " + vm + " is listed as Vmid "
                    + listed.vmId());
        }
        List<String> macs = VmxConfig.parse(succeeded(shell.run(catCommand(paths.vmx())), null).stdout()).macs();
        if (ExpectedMacs.given(command.expectedMacs())) {
            ExpectedMacs.difference(command.expectedMacs(), macs).ifPresent(difference -> {
                throw new RestoreFailedException(vm + " was restored as Vmid " + vmid + " but its registered .vmx "
                        + "differs: " + difference);
            });
        }
        return new Restored(vmid, macs);
    }

    /** The backup must hold this VM's .vmx, with the MACs captured at backup time when they are expected. */
    private static void checkBackup(RestoreNode command, String vm, CommandResult cat) {
        VmxConfig saved = VmxConfig.parse(succeeded(cat, "the backup folder holds no readable " + vm + ".vmx")
                .stdout());
        if (!vm.equals(saved.displayName())) {
            throw new RestoreFailedException("the backup's " + vm + ".vmx is of VM "
                    + CommandValues.printable(saved.displayName()) + ", not " + vm + "; nothing was changed");
        }
        if (ExpectedMacs.given(command.expectedMacs())) {
            ExpectedMacs.difference(command.expectedMacs(), saved.macs()).ifPresent(difference -> {
                throw new RestoreFailedException("the backup's " + vm + ".vmx does not have the MACs captured at "
                        + "backup time: " + difference + "; nothing was changed");
            });
        }
    }

    /** Where everything is; refused before anything runs unless each path is where it must be. */
    static Paths paths(HypervisorConnection hypervisor, String vm, String artifactPath) {
        String backup = CommandValues.strictlyInside("artifact path", artifactPath, "backup target",
                hypervisor.backupTarget());
        if (!backup.endsWith("/" + vm)) {
            throw new UnsafeValueException("artifact path " + CommandValues.printable(artifactPath)
                    + " is not a backup folder of VM " + vm + " (<backup point>/<stamp>/" + vm + ")");
        }
        String vmDir = CommandValues.strictlyInside("VM folder", hypervisor.runningDatastore() + "/" + vm,
                "running datastore", hypervisor.runningDatastore());
        return new Paths(backup, vmDir);
    }

    record Paths(String backup, String vmDir) {
        String vm() {
            return vmDir.substring(vmDir.lastIndexOf('/') + 1);
        }

        String backupVmx() {
            return backup + "/" + vm() + ".vmx";
        }

        String vmx() {
            return vmDir + "/" + vm() + ".vmx";
        }
    }

    static String catCommand(String file) {
        return "cat -- " + quote(CommandValues.absolutePath(".vmx path", file));
    }

    static String unregisterCommand(String vmid) {
        return "vim-cmd vmsvc/unregister " + VimCmdPowerDriver.vmid(vmid);
    }

    static String removeCommand(String vmDir) {
        return "rm -rf -- " + quote(vmDir);
    }

    static String copyCommand(String backup, String vmDir) {
        return "cp -r -- " + quote(backup) + " " + quote(vmDir);
    }

    static String registerCommand(String vmx) {
        return "vim-cmd solo/registervm " + quote(vmx);
    }

    /** {@code vim-cmd solo/registervm} prints the Vmid it gave the VM. */
    static String registeredVmid(String stdout) {
        List<String> lines = stdout.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.isEmpty() || !lines.get(lines.size() - 1).matches("\\d{1,9}")) {
            throw new RestoreFailedException("vim-cmd solo/registervm printed no Vmid: " + stdout.strip());
        }
        return lines.get(lines.size() - 1);
    }

    private static List<ListedVm> listing(HypervisorConnection hypervisor, RemoteShell shell) {
        return GetAllVmsListing.parse(succeeded(shell.run(VimCmdPowerDriver.LIST), null).stdout(),
                hypervisor.runningDatastore());
    }

    /** The result of a command that must succeed; else the failure in the tool's own words (or {@code what}). */
    static CommandResult succeeded(CommandResult result, String what) {
        if (!result.succeeded()) {
            throw new RestoreFailedException((what == null ? "" : what + ": ") + "`" + result.command() + "` "
                    + result.failureMessage());
        }
        return result;
    }
}
