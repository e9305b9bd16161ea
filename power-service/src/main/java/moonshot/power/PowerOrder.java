package moonshot.power;

import moonshot.contract.PowerDirection;

import java.util.ArrayList;
import java.util.List;

/**
 * The one safe order, declared once: every sequence is created from it. Off: BAREMETAL,
 * CONTROLLER, ADMIN, then the hypervisor if asked, each waiting until the node is off. On: the hypervisor if it was
 * off, ADMIN, then CONTROLLER and BAREMETAL, each waiting until it reports Deployed.
 */
public final class PowerOrder {

    private PowerOrder() {
    }

    public static List<PowerStep> steps(PowerDirection direction, boolean includeHypervisor) {
        List<PowerStep> steps = new ArrayList<>();
        if (direction == PowerDirection.OFF) {
            String action = "graceful shutdown, hard power-off if not off within the grace period";
            add(steps, "BAREMETAL", StepKind.SHUT_DOWN_NODE, action, "off");
            add(steps, "CONTROLLER", StepKind.SHUT_DOWN_NODE, action, "off");
            add(steps, "ADMIN", StepKind.SHUT_DOWN_NODE, action, "off");
            if (includeHypervisor) {
                add(steps, PowerStep.HYPERVISOR, StepKind.HYPERVISOR_OFF, "power off (out of band)",
                        "unreachable over SSH");
            }
        } else {
            if (includeHypervisor) {
                add(steps, PowerStep.HYPERVISOR, StepKind.HYPERVISOR_ON, "power on (out of band)", "answering on SSH");
            }
            add(steps, "ADMIN", StepKind.POWER_ON_NODE, "power on", "on");
            add(steps, "CONTROLLER", StepKind.POWER_ON_NODE_UNTIL_DEPLOYED, "power on", "Deployed");
            add(steps, "BAREMETAL", StepKind.POWER_ON_NODE_UNTIL_DEPLOYED, "power on", "Deployed");
        }
        return List.copyOf(steps);
    }

    private static void add(List<PowerStep> steps, String target, StepKind kind, String action, String waitFor) {
        steps.add(new PowerStep(steps.size() + 1, target, kind, action, waitFor));
    }
}
