package moonshot.contract;

import java.util.List;
import java.util.UUID;

/** The executor restored the VM and verified it: its name, its id on the hypervisor now, and its MACs. */
public record NodeRestored(UUID commandId, UUID restoreId, String managementHost, NodeRole role, String vmName,
                           @OptionalField String vmId, List<String> macs) {
}
