package moonshot.scheduler.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.MaintenanceKind;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.service.MaintenanceTickets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The same maintenance requests other systems publish on {@code moonshot.maintenance}, made by an operator. */
@Path("/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "maintenance")
public class MaintenanceResource {

    private final MaintenanceTickets tickets;

    MaintenanceResource(MaintenanceTickets tickets) {
        this.tickets = tickets;
    }

    public record Request(
            @NotBlank @Pattern(regexp = "scheduled|hotfix|upgrade|completed|deployment-succeeded",
                    message = "must be scheduled, hotfix, upgrade, completed or deployment-succeeded") String type,
            @NotBlank String managementHost,
            @NotBlank @Size(max = 120) String ticket,
            Boolean powerOff,
            @Size(max = 255) String requestedBy) {
    }

    public record TicketView(UUID id, String managementHost, String ticket, MaintenanceKind kind, boolean powerOff,
                             String requestedBy, MaintenanceState state, UUID backupRun, UUID powerOffSequence,
                             UUID powerOnSequence, String reason, Instant receivedAt, Instant updatedAt,
                             Instant deadlineAt) {
        static TicketView of(MaintenanceTicket t) {
            return new TicketView(t.id, t.managementHost, t.ticket, t.kind, t.powerOff, t.requestedBy, t.state,
                    t.backupRunId, t.powerOffSequenceId, t.powerOnSequenceId, t.reason, t.receivedAt, t.updatedAt,
                    t.deadlineAt);
        }
    }

    @POST
    @Operation(summary = "Announce maintenance (FULL backup, power-off if powerOff, then ready/blocked), its completion "
            + "(power-on if the ticket powered the host off, then finished), or a deployment")
    public Response request(@NotNull @Valid Request request) {
        String type = request.type().equals("deployment-succeeded") ? "moonshot.deployment.succeeded"
                : "moonshot.maintenance." + request.type();
        try {
            var ticket = tickets.handle(type, new MaintenanceRequest(request.managementHost(), request.ticket(),
                    request.powerOff(), request.requestedBy()));
            return Response.accepted(TicketView.of(ticket)).build();
        } catch (UnusableEventException e) {
            throw new InvalidRequestException(e.getMessage().contains("management host") ? "managementHost" : "ticket",
                    e.getMessage());
        }
    }

    @GET
    @Operation(summary = "Maintenance tickets, newest first")
    public List<TicketView> list(@QueryParam("managementHost") String managementHost) {
        return tickets.recent(managementHost).stream().map(TicketView::of).toList();
    }

    @GET
    @Path("/{id}")
    public TicketView get(@PathParam("id") String id) {
        return TicketView.of(tickets.get(PolicyResource.uuid(id)));
    }
}
