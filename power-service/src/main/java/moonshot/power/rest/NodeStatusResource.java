package moonshot.power.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import moonshot.power.service.NodeStatusReports;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

@Path("/node-status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "node status")
public class NodeStatusResource {

    private final NodeStatusReports statuses;

    NodeStatusResource(NodeStatusReports statuses) {
        this.statuses = statuses;
    }

    public record NodeStatusView(String managementHost, String node, String state, Instant eventTime,
                                 Instant receivedAt) {
    }

    @GET
    @Operation(summary = "The latest moonshot.node.status of each VM of a management host, with when it was received")
    public List<NodeStatusView> ofHost(@QueryParam("managementHost") @NotBlank String managementHost) {
        return statuses.ofHost(managementHost).stream().map(r -> new NodeStatusView(r.key.managementHost(),
                r.key.vmName(), r.state, r.eventTime, r.receivedAt)).toList();
    }
}
