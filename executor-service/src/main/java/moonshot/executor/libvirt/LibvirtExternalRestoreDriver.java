package moonshot.executor.libvirt;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.RestoreNode;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.ExpectedMacs;
import moonshot.executor.dialect.RemoteShell;
import moonshot.executor.dialect.RestoreDriver;
import moonshot.executor.dialect.RestoreFailedException;
import moonshot.executor.ssh.CommandResult;
import moonshot.executor.vzdump.DomainXmlConfig;
import moonshot.executor.vzdump.VirshDomainList;
import moonshot.executor.vzdump.VirshInterfaceList;
import moonshot.executor.vzdump.VirshPowerDriver;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * Restore from a libvirt-external copy ({@code <point>/<stamp>/<vm>/} with {@code <vm>.xml} and the disk images): the
 * captured XML is read and checked first (its disks inside the running datastore, their copies present); the domain
 * must be shut off; its current disk files are removed, each image is copied back to the path the XML names
 * ({@code cp --sparse=always}), and {@code virsh define} brings the domain back under the same name, UUID and MACs;
 * then {@code virsh list --all}, {@code virsh domuuid} and {@code virsh domiflist} must show them.
 */
@ApplicationScoped
public class LibvirtExternalRestoreDriver implements RestoreDriver {

    private static final Pattern UUID = Pattern.compile("<uuid>\\s*([0-9a-fA-F-]{32,36})\\s*</uuid>");

    @Override
    public Dialect dialect() {
        return Dialect.LIBVIRT_EXTERNAL;
    }

    @Override
    public Restored restore(HypervisorConnection hypervisor, RestoreNode command, RemoteShell shell) {
        String vm = CommandValues.vmName(command.vmName());
        String folder = CommandValues.strictlyInside("artifact path", command.artifactPath(), "backup target",
                hypervisor.backupTarget());
        String xmlFile = folder + "/" + vm + ".xml";
        String saved = succeeded(shell.run("cat -- " + quote(xmlFile))).stdout();
        List<String> disks = DomainXmlConfig.diskFiles(vm, saved).stream()
                .map(file -> CommandValues.strictlyInside("disk file of " + vm, file, "running datastore",
                        hypervisor.runningDatastore()))
                .toList();
        Matcher uuid = UUID.matcher(saved);
        String savedUuid = uuid.find() ? uuid.group(1).toLowerCase() : null;
        List<String> copies = disks.stream().map(d -> folder + "/" + d.substring(d.lastIndexOf('/') + 1)).toList();
        String listing = succeeded(shell.run("ls -1 -- " + quote(folder))).stdout();
        for (String copy : copies) {
            if (!listing.lines().map(String::strip).toList().contains(copy.substring(copy.lastIndexOf('/') + 1))) {
                throw new RestoreFailedException("the backup in " + folder + " has no copy of " + copy.substring(
                        copy.lastIndexOf('/') + 1) + "; nothing was changed");
            }
        }

        CommandResult state = shell.run("virsh domstate " + quote(vm));
        if (!state.succeeded()) {
            if (!(state.stderr() + state.stdout()).contains("failed to get domain")) {
                throw new RestoreFailedException("`" + state.command() + "` " + state.failureMessage());
            }
        } else {
            if (DiscoveryDriver.ON.equals(VirshPowerDriver.powerState(vm, state.stdout()))) {
                throw new RestoreFailedException(vm + " is running: power it off first; nothing was changed");
            }
            List<String> current = DomainXmlConfig.diskFiles(vm, succeeded(shell.run("virsh dumpxml " + quote(vm)))
                    .stdout()).stream()
                    .map(file -> CommandValues.strictlyInside("disk file of " + vm, file, "running datastore",
                            hypervisor.runningDatastore()))
                    .toList();
            if (!current.isEmpty()) {
                succeeded(shell.runLong("rm -f -- " + current.stream().map(f -> quote(f))
                        .collect(Collectors.joining(" "))));
            }
        }
        for (int i = 0; i < disks.size(); i++) {
            succeeded(shell.runLong("cp --sparse=always -- " + quote(copies.get(i)) + " " + quote(disks.get(i))));
        }
        succeeded(shell.run("virsh define " + quote(xmlFile)));

        List<DiscoveryDriver.ListedVm> listed = VirshDomainList.parse(succeeded(shell.run("virsh list --all"))
                .stdout());
        if (listed.stream().noneMatch(domain -> domain.name().equals(vm))) {
            throw new RestoreFailedException("after `virsh define`, `virsh list --all` does not list " + vm);
        }
        String restoredUuid = succeeded(shell.run("virsh domuuid " + quote(vm))).stdout().strip().toLowerCase();
        if (savedUuid != null && !savedUuid.equals(restoredUuid)) {
            throw new RestoreFailedException(vm + " was defined with UUID " + restoredUuid + ", not the backed-up "
                    + savedUuid);
        }
        List<String> macs = VirshInterfaceList.macs(succeeded(shell.run("virsh domiflist " + quote(vm))).stdout());
        if (ExpectedMacs.given(command.expectedMacs())) {
            ExpectedMacs.difference(command.expectedMacs(), macs).ifPresent(difference -> {
                throw new RestoreFailedException(vm + " was defined again but differs: " + difference);
            });
        }
        return new Restored(restoredUuid, macs);
    }

    private static CommandResult succeeded(CommandResult result) {
        if (!result.succeeded()) {
            throw new RestoreFailedException("`" + result.command() + "` " + result.failureMessage());
        }
        return result;
    }
}
