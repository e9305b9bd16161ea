package moonshot.scheduler.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import moonshot.api.errors.ApiError;
import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.NodeRole;
import moonshot.scheduler.service.RestorePlanner;
import moonshot.scheduler.service.RestoreRefused;
import moonshot.scheduler.service.Restores;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

@Path("/restores")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "restores")
public class RestoreResource {

    private final Restores restores;

    RestoreResource(Restores restores) {
        this.restores = restores;
    }

    @POST
    @Operation(summary = "Plan a restore of the failed nodes by the rules (dryRun=true: 200 with the plan, nothing "
            + "changes) or start it (dryRun=false: 202 with the restore and its steps)")
    public Response request(@NotNull @Valid RestoreRequest request, @Context UriInfo uri) {
        var planned = new RestorePlanner.Request(request.managementHost(),
                request.failedNodes().stream().map(NodeRole::valueOf).distinct().toList(),
                request.backupSet() == null || request.backupSet().isBlank() ? null
                        : uuid("backupSet", request.backupSet(), "not a backup set (run) id"),
                Boolean.TRUE.equals(request.includeHypervisor()));
        if (request.dryRun()) {
            return Response.ok(RestoreView.PlanView.of(restores.plan(planned))).build();
        }
        var restore = restores.start(planned, request.requestedBy());
        return Response.accepted(RestoreView.of(restore))
                .location(uri.getAbsolutePathBuilder().path(restore.id.toString()).build()).build();
    }

    @GET
    @Operation(summary = "Restores, newest first, with their steps")
    public List<RestoreView> list(@QueryParam("managementHost") String managementHost) {
        return restores.recent(managementHost).stream().map(RestoreView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One restore: its state and every step with its state, command and timestamps")
    public RestoreView get(@PathParam("id") String id) {
        return RestoreView.of(restores.get(uuid("id", id, "not a restore id")));
    }

    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.WILDCARD) // no body: a bare POST (curl -X POST) must do
    @Operation(summary = "Resume a FAILED restore at the step that failed (a new command for that step)")
    public Response retry(@PathParam("id") String id) {
        return Response.accepted(RestoreView.of(restores.retry(uuid("id", id, "not a restore id")))).build();
    }

    @POST
    @Path("/{id}/abandon")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Give a FAILED restore up; the host stays as the failed step left it")
    public RestoreView abandon(@PathParam("id") String id) {
        return RestoreView.of(restores.abandon(uuid("id", id, "not a restore id")));
    }

    @ServerExceptionMapper
    public Response refused(RestoreRefused e) {
        return Response.status(409).type(MediaType.APPLICATION_JSON).entity(new ApiError(409, e.getMessage(),
                e.field(), List.of(new ApiError.FieldViolation(e.field(), e.getMessage())))).build();
    }

    private static UUID uuid(String field, String value, String message) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, message + ": " + value);
        }
    }
}
