package moonshot.contract;

import java.util.List;
import java.util.UUID;

/**
 * The executor's answer to {@link DeleteArtifacts}: what is gone from the hypervisor, and what could not be removed
 * with the reason (an empty list when everything went).
 */
public record ArtifactsDeleted(UUID requestId, String managementHost, List<String> deleted, List<String> failures) {
}
