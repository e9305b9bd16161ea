package moonshot.scheduler.rest;

import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RetentionState;
import moonshot.scheduler.repository.BackupRunRepository;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The backup catalog: every artifact with its node, run, place on the hypervisor, size, checksum, the MACs and
 * config captured with it, and the set it belongs to (a run; for a pair, both members of one run).
 */
@Path("/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalog")
public class CatalogResource {

    private final BackupRunRepository runs;

    CatalogResource(BackupRunRepository runs) {
        this.runs = runs;
    }

    public record Entry(UUID backupSet, String managementHost, BackupScope scope, NodeRole role, String vmName,
                        String artifactPath, Long sizeBytes, String sha256, List<String> macs, boolean hasVmConfig,
                        Instant snapshotNotBefore, Instant snapshotNotAfter, Instant finishedAt, boolean completeSet,
                        String consistency, Boolean restorable, Instant verifiedAt, String verification,
                        boolean protectedBaseline, RetentionState retentionState, Instant deletedAt) {
    }

    @GET
    @Transactional
    @Operation(summary = "Artifacts, newest first; deleted ones only with includeDeleted=true")
    public List<Entry> list(@QueryParam("managementHost") String managementHost,
                            @QueryParam("role") @Pattern(regexp = "ADMIN|CONTROLLER|BAREMETAL",
                                    message = "must be ADMIN, CONTROLLER or BAREMETAL") String role,
                            @QueryParam("includeDeleted") boolean includeDeleted) {
        List<BackupRun> found = managementHost == null
                ? runs.listAll(io.quarkus.panache.common.Sort.descending("requestedAt"))
                : runs.list("managementHost", io.quarkus.panache.common.Sort.descending("requestedAt"), managementHost);
        return found.stream()
                .flatMap(run -> run.nodes.stream()
                        .filter(n -> n.state == NodeBackupState.SUCCEEDED)
                        .filter(n -> role == null || n.role.name().equals(role))
                        .filter(n -> includeDeleted || n.deletedAt == null)
                        .map(n -> new Entry(run.id, run.managementHost, run.scope, n.role, n.vmName, n.artifactPath,
                                n.sizeBytes, n.sha256, n.macs, n.vmConfig != null, n.snapshotNotBefore,
                                n.snapshotNotAfter, n.finishedAt, run.isCompleteSet(), BackupRunView.consistency(run),
                                run.restorable, run.verifiedAt, run.verification, run.protectedBaseline, run.retentionState,
                                n.deletedAt)))
                .toList();
    }
}
