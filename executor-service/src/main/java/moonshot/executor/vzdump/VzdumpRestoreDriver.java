package moonshot.executor.vzdump;

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

import java.util.List;
import java.util.stream.Collectors;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM restore from a vzdump archive: the domain must be shut off ({@code virsh domstate <name>}); its disk files
 * ({@code <source file='…'/>} of {@code virsh dumpxml <name>}, each inside the running datastore) are removed with
 * {@code rm -f --}; {@code vzdump --restore '<archive>' <vmid>} brings disk, definition (name, UUID, MACs) and VMID
 * back, shut off; then {@code virsh list --all} must list the name and {@code virsh domiflist <name>} show the expected
 * MACs. The VM's id is its vzdump VMID (virsh has none for a shut-off domain, and a new one at every start).
 */
@ApplicationScoped
public class VzdumpRestoreDriver implements RestoreDriver {

    @Override
    public Dialect dialect() {
        return Dialect.VZDUMP;
    }

    @Override
    public Restored restore(HypervisorConnection hypervisor, RestoreNode command, RemoteShell shell) {
        String vm = CommandValues.vmName(command.vmName());
        String vmid = CommandValues.vmid(command.vzdumpVmid());
        String archive = archive(hypervisor, command.artifactPath(), vmid);

        CommandResult state = shell.run(stateCommand(vm));
        boolean defined = true;
        if (!state.succeeded()) {
            if (!(state.stderr() + state.stdout()).contains("failed to get domain")) {
                throw new RestoreFailedException("`" + state.command() + "` " + state.failureMessage());
            }
            defined = false; // gone already (a restore that stopped half way): nothing of it to remove
        } else if (DiscoveryDriver.ON.equals(VirshPowerDriver.powerState(vm, state.stdout()))) {
            throw new RestoreFailedException(vm + " is running: power it off first; nothing was changed");
        }
        if (defined) {
            String xml = succeeded(shell.run("virsh dumpxml " + quote(vm))).stdout();
            List<String> disks = DomainXmlConfig.diskFiles(vm, xml).stream()
                    .map(file -> CommandValues.strictlyInside("disk file of " + vm, file, "running datastore",
                            hypervisor.runningDatastore()))
                    .toList();
            if (!disks.isEmpty()) {
                succeeded(shell.runLong(removeCommand(disks)));
            }
        }
        succeeded(shell.runLong(restoreCommand(archive, vmid)));

        List<ListedVm> listed = VirshDomainList.parse(succeeded(shell.run("virsh list --all")).stdout());
        if (listed.stream().noneMatch(domain -> domain.name().equals(vm))) {
            throw new RestoreFailedException("after `vzdump --restore`, `virsh list --all` does not list " + vm
                    + " (it lists " + listed.stream().map(ListedVm::name).toList() + ")");
        }
        List<String> macs = VirshInterfaceList.macs(succeeded(shell.run("virsh domiflist " + quote(vm))).stdout());
        if (ExpectedMacs.given(command.expectedMacs())) {
            ExpectedMacs.difference(command.expectedMacs(), macs).ifPresent(difference -> {
                throw new RestoreFailedException(vm + " was restored as VMID " + vmid + " but differs: " + difference);
            });
        }
        return new Restored(vmid, macs);
    }

    /** A vzdump archive of that VMID, inside the backup target: a restore never reads anything else. */
    static String archive(HypervisorConnection hypervisor, String artifactPath, String vmid) {
        String archive = CommandValues.strictlyInside("artifact path", artifactPath, "backup target",
                hypervisor.backupTarget());
        VzdumpFormats.unrestorable(archive.substring(archive.lastIndexOf('/') + 1), vmid).ifPresent(why -> {
            throw new UnsafeValueException("artifact path " + CommandValues.printable(artifactPath) + ": " + why);
        });
        return archive;
    }

    static String stateCommand(String vm) {
        return "virsh domstate " + quote(CommandValues.vmName(vm));
    }

    static String removeCommand(List<String> files) {
        return "rm -f -- " + files.stream().map(file -> quote(CommandValues.absolutePath("disk file", file)))
                .collect(Collectors.joining(" "));
    }

    static String restoreCommand(String archive, String vmid) {
        return "vzdump --restore " + quote(CommandValues.absolutePath("archive", archive)) + " " + vmid;
    }

    private static CommandResult succeeded(CommandResult result) {
        if (!result.succeeded()) {
            throw new RestoreFailedException("`" + result.command() + "` " + result.failureMessage());
        }
        return result;
    }
}
