package moonshot.executor.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.VerifyArtifacts;
import moonshot.knownhosts.KnownHostRepository;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

import java.util.List;

/** Read-only: can these artifacts still be restored? Asked by the restore planner before anything is powered off. */
@Path("/artifacts/verify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "artifacts")
public class ArtifactVerificationResource {

    private final KnownHostRepository hosts;
    private final moonshot.executor.run.VerifyArtifacts verifier;

    ArtifactVerificationResource(KnownHostRepository hosts, moonshot.executor.run.VerifyArtifacts verifier) {
        this.hosts = hosts;
        this.verifier = verifier;
    }

    @POST
    @Operation(summary = "Check on the hypervisor, changing nothing, that each artifact exists, is of a format its "
            + "dialect restores and has the recorded size and SHA-256")
    public List<VerifyArtifacts.Verified> verify(@NotNull @Valid VerifyArtifacts request) {
        if (request.managementHost() == null || request.managementHost().isBlank()) {
            throw new InvalidRequestException("managementHost", "name the management host the artifacts belong to");
        }
        if (request.artifacts() == null || request.artifacts().isEmpty()) {
            throw new InvalidRequestException("artifacts", "name at least one artifact");
        }
        for (int i = 0; i < request.artifacts().size(); i++) {
            var artifact = request.artifacts().get(i);
            if (artifact == null || artifact.artifactPath() == null || artifact.role() == null
                    || artifact.vmName() == null) {
                throw new InvalidRequestException("artifacts[" + i + "]", "needs role, vmName and artifactPath");
            }
        }
        HypervisorConnection hypervisor = QuarkusTransaction.requiringNew()
                .call(() -> hosts.findActive(request.managementHost()).map(h -> h.hypervisor))
                .orElseThrow(() -> new InvalidRequestException("managementHost",
                        hosts.whyNotActive(request.managementHost())));
        MDC.put("managementHost", request.managementHost());
        try {
            return verifier.verify(hypervisor, request.artifacts());
        } finally {
            MDC.remove("managementHost");
        }
    }
}
