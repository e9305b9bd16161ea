package moonshot.power;

import moonshot.contract.PowerDirection;

import java.util.ArrayList;
import java.util.List;

/**
 * The one safe order (ARCHITECTURE.md §1). Off: BAREMETAL, CONTROLLER, ADMIN, then the hypervisor if asked, each
 * waiting until the node is off. On: the hypervisor if it was off, ADMIN, then CONTROLLER and BAREMETAL, each
 * waiting until it reports Deployed.
 */
public final class PowerOrder {

    private PowerOrder() {
    }

    public static List<PowerStep> steps(PowerDirection direction, boolean includeHypervisor) {
        List<PowerStep> steps = new ArrayList<>();
        if (direction == PowerDirection.OFF) {
            add(steps, "BAREMETAL", "power off", "off");
            add(steps, "CONTROLLER", "power off", "off");
            add(steps, "ADMIN", "power off", "off");
            if (includeHypervisor) {
                add(steps, "HYPERVISOR", "power off (out of band)", "unreachable over SSH");
            }
        } else {
            if (includeHypervisor) {
                add(steps, "HYPERVISOR", "power on (out of band)", "answering on SSH");
            }
            add(steps, "ADMIN", "power on", "on");
            add(steps, "CONTROLLER", "power on", "Deployed");
            add(steps, "BAREMETAL", "power on", "Deployed");
        }
        return List.copyOf(steps);
    }

    private static void add(List<PowerStep> steps, String target, String action, String waitFor) {
        steps.add(new PowerStep(steps.size() + 1, target, action, waitFor));
    }
}
