package moonshot.inventory.rest;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import moonshot.inventory.service.HypervisorService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/hypervisors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "hypervisors")
public class HypervisorResource {

    private final HypervisorService service;

    HypervisorResource(HypervisorService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Register a hypervisor (ESXi or KVM) and how to reach it over SSH")
    public Response register(@NotNull @Valid HypervisorRequest request, @Context UriInfo uri) {
        var view = Views.of(service.register(request));
        return Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build()).entity(view).build();
    }

    @GET
    @Operation(summary = "List hypervisors")
    public List<HypervisorView> list() {
        return service.list().stream().map(Views::of).toList();
    }

    @GET
    @Path("/{idOrName}")
    @Operation(summary = "One hypervisor, by id or name")
    public HypervisorView get(@PathParam("idOrName") String idOrName) {
        return Views.of(service.get(idOrName));
    }

    @PUT
    @Path("/{idOrName}")
    @Operation(summary = "Replace a hypervisor's settings")
    public HypervisorView replace(@PathParam("idOrName") String idOrName, @NotNull @Valid HypervisorRequest request) {
        return Views.of(service.replace(idOrName, request));
    }

    @DELETE
    @Path("/{idOrName}")
    @Operation(summary = "Remove a hypervisor that carries no management host")
    public Response remove(@PathParam("idOrName") String idOrName) {
        service.remove(idOrName);
        return Response.noContent().build();
    }
}
