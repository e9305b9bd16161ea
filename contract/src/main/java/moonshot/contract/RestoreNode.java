package moonshot.contract;

import java.util.List;
import java.util.UUID;

/**
 * Command to the executor: remove the (corrupt) VM's files on the running datastore and restore it from
 * {@code artifactPath} under the same name (and vzdump VMID), then verify name, id and MACs against
 * {@code expectedMacs} captured at backup time.
 */
public record RestoreNode(UUID commandId, UUID restoreId, String managementHost, NodeRole role, String vmName,
                          @OptionalField Integer vzdumpVmid, String artifactPath,
                          @OptionalField List<String> expectedMacs) {
}
