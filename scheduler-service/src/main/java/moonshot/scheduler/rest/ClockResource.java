package moonshot.scheduler.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import moonshot.api.errors.ConflictException;
import moonshot.clock.SettableClock;
import moonshot.scheduler.service.FirePolicySlots;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The scheduler's notion of now. Setting it works only with {@code moonshot.clock.settable=true} (tests). */
@Path("/admin/clock")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class ClockResource {

    private final Clock clock;
    private final FirePolicySlots slots;

    ClockResource(Clock clock, FirePolicySlots slots) {
        this.clock = clock;
        this.slots = slots;
    }

    public record Now(Instant now) {
    }

    public record Moved(Instant now, List<UUID> firedRuns) {
    }

    @GET
    public Now now() {
        return new Now(clock.instant());
    }

    @PUT
    @Operation(summary = "Set the clock (settable clock only) and fire the policy slots now due")
    public Moved set(@NotNull Now request) {
        if (!(clock instanceof SettableClock settable)) {
            throw new ConflictException("the clock is not settable; start with moonshot.clock.settable=true");
        }
        if (request.now() == null) {
            throw new moonshot.api.errors.InvalidRequestException("now", "must be an ISO-8601 instant");
        }
        settable.set(request.now());
        return new Moved(clock.instant(), slots.fireDue());
    }
}
