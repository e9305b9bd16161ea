package moonshot.executor.vzdump;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.PowerAction;
import moonshot.executor.dialect.CommandValues;
import moonshot.executor.dialect.PowerDriver;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * KVM: domains are named by name (virsh gives a running domain a new Id at every start): {@code virsh domstate <name>}
 * reads the power ({@code running}, {@code shut off}, …), and the actions are
 * {@code virsh shutdown|destroy|start <name>}. {@code virsh shutdown} only asks the guest, so the caller waits.
 */
@ApplicationScoped
public class VirshPowerDriver implements PowerDriver {

    @Override
    public Dialect dialect() {
        return Dialect.VZDUMP;
    }

    @Override
    public String locateCommand() {
        return null;
    }

    @Override
    public Located locate(HypervisorConnection hypervisor, String vmName, String locateOutput) {
        return new Located(vmName, CommandValues.vmName(vmName));
    }

    @Override
    public String stateCommand(Located vm) {
        return "virsh domstate " + quote(CommandValues.vmName(vm.handle()));
    }

    /** The first line is libvirt's state word(s); {@link VirshDomainList} knows which of them mean a running QEMU. */
    @Override
    public String parseState(Located vm, String stdout) {
        return powerState(vm.vmName(), stdout);
    }

    public static String powerState(String vmName, String stdout) {
        String state = stdout.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException("virsh domstate printed no state for " + vmName));
        if (!state.matches("[a-z ]{3,20}")) {
            throw new IllegalStateException("virsh domstate printed no state for " + vmName + ": " + state);
        }
        return VirshDomainList.powerState(state);
    }

    @Override
    public String actionCommand(Located vm, PowerAction action) {
        String verb = switch (action) {
            case SHUTDOWN -> "shutdown";
            case POWER_OFF -> "destroy";
            case POWER_ON -> "start";
        };
        return "virsh " + verb + " " + quote(CommandValues.vmName(vm.handle()));
    }
}
