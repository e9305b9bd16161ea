package moonshot.power.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import moonshot.contract.PowerDirection;
import moonshot.power.PowerOrder;
import moonshot.power.PowerStep;
import moonshot.power.SequenceState;
import moonshot.power.service.PowerSequences;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.MDC;

import java.util.List;
import java.util.UUID;

@Path("/power-sequences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "power sequences")
public class PowerSequenceResource {

    private static final String STATES = "QUEUED|RUNNING|SUCCEEDED|FAILED";

    private final PowerSequences sequences;

    PowerSequenceResource(PowerSequences sequences) {
        this.sequences = sequences;
    }

    public record PlanView(PowerDirection direction, boolean includeHypervisor, List<PowerStep> steps) {
    }

    @POST
    @Operation(summary = "Power a management host off or on in the one safe order; answers 202 with the sequence, "
            + "RUNNING, or QUEUED behind the host's running sequence")
    public Response request(@NotNull @Valid PowerSequenceRequest request, @Context UriInfo uri) {
        try {
            MDC.put("managementHost", request.managementHost());
            var sequence = sequences.request(new PowerSequences.Request(null, request.managementHost(),
                    PowerDirection.valueOf(request.direction()), Boolean.TRUE.equals(request.includeHypervisor()),
                    request.requestedBy() == null ? "operator" : request.requestedBy()));
            return Response.accepted(PowerSequenceView.of(sequence))
                    .location(uri.getAbsolutePathBuilder().path(sequence.id.toString()).build()).build();
        } finally {
            MDC.remove("managementHost");
            MDC.remove("sequence");
            MDC.remove("node");
        }
    }

    @GET
    @Operation(summary = "Power sequences, newest first, with their steps; filter by management host and state")
    public List<PowerSequenceView> search(
            @QueryParam("managementHost") String managementHost,
            @QueryParam("state") @Pattern(regexp = STATES, message = "must be one of " + STATES) String state,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return sequences.search(managementHost, state == null ? null : SequenceState.valueOf(state), limit).stream()
                .map(PowerSequenceView::of).toList();
    }

    @GET
    @Path("/plan")
    @Operation(summary = "The ordered steps a power sequence takes (nothing is powered)")
    public PlanView plan(@QueryParam("direction") @NotBlank @Pattern(regexp = "OFF|ON", message = "must be OFF or ON")
                         String direction,
                         @QueryParam("includeHypervisor") @DefaultValue("false") boolean includeHypervisor) {
        var parsed = PowerDirection.valueOf(direction);
        return new PlanView(parsed, includeHypervisor, PowerOrder.steps(parsed, includeHypervisor));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One power sequence with every step: state, command id, commanded and confirmed times, "
            + "message")
    public PowerSequenceView get(@PathParam("id") String id) {
        return PowerSequenceView.of(sequences.get(uuid(id)));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "not a power sequence id: " + id);
        }
    }
}
