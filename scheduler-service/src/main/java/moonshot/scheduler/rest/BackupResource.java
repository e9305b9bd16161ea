package moonshot.scheduler.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.BackupScope;
import moonshot.scheduler.RunState;
import moonshot.scheduler.Trigger;
import moonshot.scheduler.repository.BackupRunRepository.RunFilter;
import moonshot.scheduler.service.BackupRuns;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

@Path("/backups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
public class BackupResource {

    private static final String STATES = "QUEUED|RUNNING|SUCCEEDED|PARTIALLY_FAILED|FAILED|CANCELLED";

    private final BackupRuns runs;

    BackupResource(BackupRuns runs) {
        this.runs = runs;
    }

    @POST
    @Operation(summary = "Back a management host up now (scope ADMIN, PAIR or FULL); answers 202 with the queued run")
    public Response request(@NotNull @Valid BackupRequest request, @Context UriInfo uri) {
        var run = runs.request(request.managementHost(), BackupScope.valueOf(request.scope()), Trigger.OPERATOR,
                request.reason() == null ? "operator request" : request.reason());
        return Response.accepted(BackupRunView.of(run))
                .location(uri.getAbsolutePathBuilder().path(run.id.toString()).build()).build();
    }

    @GET
    @Operation(summary = "Backup runs, newest first, with per-node results; filter by host, state, scope, time range")
    public List<BackupRunView> search(
            @QueryParam("managementHost") String managementHost,
            @QueryParam("state") @Pattern(regexp = STATES, message = "must be one of " + STATES) String state,
            @QueryParam("scope") @Pattern(regexp = "ADMIN|PAIR|FULL", message = "must be ADMIN, PAIR or FULL") String scope,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        var filter = new RunFilter(managementHost, state == null ? null : RunState.valueOf(state),
                scope == null ? null : BackupScope.valueOf(scope), instant("from", from), instant("to", to));
        return runs.search(filter, page, size).stream().map(BackupRunView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One backup run with its per-node results, artifacts and the pair's skew")
    public BackupRunView get(@PathParam("id") String id) {
        return BackupRunView.of(runs.get(uuid(id)));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "not a run id: " + id);
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be an ISO-8601 instant such as 2026-11-27T22:00:00Z");
        }
    }
}
