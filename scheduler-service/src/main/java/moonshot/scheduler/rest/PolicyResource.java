package moonshot.scheduler.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.BackupScope;
import moonshot.scheduler.BackupPolicy;
import moonshot.scheduler.service.ApplyRetention;
import moonshot.scheduler.service.Policies;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policies")
public class PolicyResource {

    private final Policies policies;
    private final ApplyRetention retention;

    PolicyResource(Policies policies, ApplyRetention retention) {
        this.policies = policies;
        this.retention = retention;
    }

    @GET
    @Operation(summary = "Backup policies (every host gets ADMIN monthly and the pair nightly), with their next slot")
    public List<PolicyView> list(@QueryParam("managementHost") String managementHost) {
        return policies.list(managementHost).stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    public PolicyView get(@PathParam("id") String id) {
        return view(policies.get(uuid(id)));
    }

    @POST
    @Operation(summary = "Add a policy to a management host")
    public Response create(@NotNull @Valid PolicyRequest request) {
        if (request.managementHost() == null || request.managementHost().isBlank()) {
            throw new InvalidRequestException("managementHost", "must not be blank");
        }
        var policy = policies.create(request.managementHost(), settings(request));
        return Response.status(201).entity(view(policy)).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Change a policy's cron expression, scope, retention or enabled flag")
    public PolicyView update(@PathParam("id") String id, @NotNull @Valid PolicyRequest request) {
        return view(policies.update(uuid(id), settings(request)));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        policies.delete(uuid(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/retention")
    @Operation(summary = "Apply the policy's retention now (dryRun=true lists what would go and touches nothing)")
    public ApplyRetention.Decision applyRetention(@PathParam("id") String id,
                                                 @QueryParam("dryRun") boolean dryRun) {
        return retention.apply(uuid(id), dryRun);
    }

    private static Policies.Settings settings(PolicyRequest r) {
        return new Policies.Settings(r.name(), BackupScope.valueOf(r.scope()), r.cron(),
                r.enabled() == null || r.enabled(), r.keepLast() == null ? 1 : r.keepLast(),
                r.keepDaily() == null ? 0 : r.keepDaily(), r.keepWeekly() == null ? 0 : r.keepWeekly(),
                r.keepMonthly() == null ? 0 : r.keepMonthly());
    }

    private PolicyView view(BackupPolicy p) {
        return new PolicyView(p.id, p.managementHost, p.name, p.scope, p.cron, p.enabled, p.keepLast, p.keepDaily,
                p.keepWeekly, p.keepMonthly, p.lastSlot, policies.nextSlot(p));
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "not an id: " + id);
        }
    }
}
