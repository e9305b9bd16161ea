package moonshot.executor.rest;

import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.executor.repository.ExecutionRepository;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "executions")
public class ExecutionResource {

    private final ExecutionRepository executions;

    ExecutionResource(ExecutionRepository executions) {
        this.executions = executions;
    }

    @GET
    @Transactional
    @Operation(summary = "Executions, newest first, with each node's exact command and outcome")
    public List<ExecutionView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                    @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return executions.recent(page, size).stream().map(ExecutionView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "One execution (its id is the run, discovery, request or command id)")
    public ExecutionView get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "not an execution id: " + id);
        }
        return executions.findByIdOptional(uuid).map(ExecutionView::of)
                .orElseThrow(() -> new NotFoundException("no execution " + id));
    }
}
