package moonshot.contract;

import java.util.UUID;

/** The executor could not restore or verify the VM; {@code reason} is the tool's own message or the mismatch. */
public record NodeRestoreFailed(UUID commandId, UUID restoreId, String managementHost, NodeRole role, String vmName,
                                String reason) {
}
