package moonshot.contract;

import java.util.List;
import java.util.UUID;

/**
 * Event-carried state: the whole management host after a change, so other services keep their own copy.
 * {@code removed} is true when the host was deleted from inventory.
 */
public record ManagementHostChanged(
        UUID managementHostId,
        String managementHost,
        HypervisorConnection hypervisor,
        List<NodeSnapshot> nodes,
        boolean removed) {
}
