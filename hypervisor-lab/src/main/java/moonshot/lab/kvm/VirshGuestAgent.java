package moonshot.lab.kvm;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.tool.CallerGone;
import moonshot.lab.tool.ToolCall;

/**
 * {@code virsh domfsfreeze} / {@code domfsthaw}: ask the guest's QEMU agent to freeze or thaw its filesystems.
 * Lines and errors as libvirt's {@code tools/virsh-domain.c} (cmdDomFSFreeze / cmdDomFSThaw) and the QEMU driver
 * ({@code qemuDomainAgentAvailable}) print them.
 */
final class VirshGuestAgent {
    /** What the lab's guests have mounted ({@code /} and {@code /boot}). */
    static final int FILESYSTEMS = 2;

    private VirshGuestAgent() {
    }

    static int freeze(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        return run(call, "domfsfreeze", args, quiet, true);
    }

    static int thaw(ToolCall call, List<String> args, boolean quiet) throws CallerGone, IOException {
        return run(call, "domfsthaw", args, quiet, false);
    }

    private static int run(ToolCall call, String command, List<String> args, boolean quiet, boolean freeze)
            throws CallerGone, IOException {
        VirshArgs a = VirshArgs.parse(command, args, Set.of(), Set.of("domain", "mountpoint"), List.of("domain"),
                "mountpoint");
        if (a.error().isPresent()) {
            call.errLine("error: " + a.error().get());
            return 1;
        }
        if (a.value("domain").isEmpty()) {
            call.errLine("error: command '" + command + "' requires <domain> option");
            return 1;
        }
        call.pauseIfSlow();
        Optional<String> found = Virsh.findDomain(call, a.value("domain").get());
        if (found.isEmpty()) {
            return 1;
        }
        String vm = found.get();
        KvmHost kvm = call.host.kvm;
        String failure = freeze ? "error: Unable to freeze filesystems" : "error: Unable to thaw filesystems";
        if (!kvm.isOn(vm)) {
            call.errLine(failure);
            call.errLine("error: Requested operation is not valid: domain is not running");
            return 1;
        }
        if (!kvm.hasGuestAgent(vm)) {
            call.log(freeze ? "FREEZE_FAILED" : "THAW_FAILED", "vm", vm, "reason", "no guest agent");
            call.errLine(failure);
            call.errLine("error: Guest agent is not responding: QEMU guest agent is not connected");
            return 1;
        }
        int filesystems = a.values("mountpoint").isEmpty() ? FILESYSTEMS : a.values("mountpoint").size();
        int count = kvm.withDisks(() -> {
            boolean frozen = kvm.isFrozen(vm);
            if (freeze && frozen) {
                return -1;
            }
            kvm.setFrozen(vm, freeze);
            // qemu-ga thaws nothing when nothing is frozen, and says so with a count of 0.
            return freeze || frozen ? filesystems : 0;
        });
        if (count < 0) {
            call.errLine(failure);
            call.errLine("error: internal error: unable to execute QEMU agent command 'guest-fsfreeze-freeze': "
                    + "Command guest-fsfreeze-freeze has been disabled: the agent is in frozen state");
            return 1;
        }
        call.log(freeze ? "FROZEN" : "THAWED", "vm", vm, "filesystems", Integer.toString(count));
        if (!quiet) {
            call.outLine((freeze ? "Froze " : "Thawed ") + count + " filesystem(s)");
        }
        return 0;
    }
}
