package moonshot.power.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import moonshot.contract.PowerDirection;
import moonshot.power.PowerOrder;
import moonshot.power.PowerStep;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/power-sequences")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "power sequences")
public class PowerSequenceResource {

    public record PlanView(PowerDirection direction, boolean includeHypervisor, List<PowerStep> steps) {
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
}
