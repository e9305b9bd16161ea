package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.VerifyArtifacts;
import moonshot.scheduler.client.ExecutorArtifacts;
import moonshot.scheduler.service.RestorePlanner.BackupSet;
import moonshot.scheduler.service.RestorePlanner.NodeArtifact;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The planner's artifact check, made by the executor on the hypervisor: every artifact of the set that would be
 * restored must exist, be of a format its dialect restores and have the size and SHA-256 recorded at backup time. An
 * executor that cannot be asked fails the check: unchecked is never restorable.
 */
@ApplicationScoped
public class CheckArtifactsOnHypervisor {

    private static final Logger LOG = Logger.getLogger(CheckArtifactsOnHypervisor.class);

    /** How a problem that is only "the executor could not be asked" begins: the artifacts are unchecked. */
    static final String UNCHECKED = "its artifacts could not be checked on the hypervisor";

    private final ExecutorArtifacts executor;

    CheckArtifactsOnHypervisor(ExecutorArtifacts executor) {
        this.executor = executor;
    }

    /** @param nodes the host's nodes as inventory knows them (their vzdump VMIDs) */
    RestorePlanner.ArtifactCheck checkFor(String managementHost, List<NodeSnapshot> nodes) {
        return (set, roles) -> problem(managementHost, nodes, set, roles);
    }

    private Optional<String> problem(String managementHost, List<NodeSnapshot> nodes, BackupSet set,
                                     List<NodeRole> roles) {
        List<VerifyArtifacts.Artifact> artifacts = new ArrayList<>();
        for (NodeRole role : roles) {
            NodeArtifact artifact = set.nodes().stream().filter(n -> n.role() == role).findFirst().orElseThrow();
            Integer vmid = nodes.stream().filter(n -> n.role() == role).findFirst().map(NodeSnapshot::vzdumpVmid)
                    .orElse(null);
            artifacts.add(new VerifyArtifacts.Artifact(role, artifact.vmName(), vmid, artifact.artifactPath(),
                    artifact.sizeBytes(), artifact.sha256()));
        }
        List<VerifyArtifacts.Verified> verified;
        try {
            verified = executor.verify(new VerifyArtifacts(managementHost, artifacts));
        } catch (ExecutorArtifacts.Unavailable e) {
            LOG.warnf("backup set %s of %s: artifacts unchecked: %s", set.runId(), managementHost, e.getMessage());
            return Optional.of(UNCHECKED + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < verified.size(); i++) {
            if (!verified.get(i).restorable()) {
                problems.add(roles.get(i) + " " + verified.get(i).artifactPath() + " " + verified.get(i).problem());
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        LOG.warnf("backup set %s of %s is not restorable: %s", set.runId(), managementHost, problems);
        return Optional.of(String.join("; ", problems));
    }
}
