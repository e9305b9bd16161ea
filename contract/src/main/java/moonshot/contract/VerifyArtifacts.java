package moonshot.contract;

import java.util.List;

/**
 * Asks the executor to check, read-only, that a backup set's artifacts can still be restored: each still exists on
 * the management host's hypervisor, is of a format its dialect restores, and has the size and SHA-256 recorded when
 * it was taken. A read-only look-up over REST ({@code POST /artifacts/verify}): the restore planner needs the answer
 * before it plans anything.
 */
public record VerifyArtifacts(String managementHost, List<Artifact> artifacts) {

    /** One node's artifact as the catalog recorded it. */
    public record Artifact(NodeRole role, String vmName, @OptionalField Integer vzdumpVmid, String artifactPath,
                           @OptionalField Long sizeBytes, @OptionalField String sha256) {
    }

    /** What the executor found; {@code problem} is null when the artifact is restorable and unchanged. */
    public record Verified(String artifactPath, boolean restorable, @OptionalField String problem,
                           @OptionalField Long sizeBytes, @OptionalField String sha256) {
    }
}
