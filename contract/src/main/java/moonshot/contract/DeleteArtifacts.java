package moonshot.contract;

import java.util.List;
import java.util.UUID;

/** Command to the executor: remove these backup artifacts from the hypervisor of a management host (retention). */
public record DeleteArtifacts(UUID requestId, String managementHost, List<String> artifactPaths) {
}
