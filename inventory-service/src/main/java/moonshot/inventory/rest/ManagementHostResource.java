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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import moonshot.inventory.service.ManagementHostService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/management-hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "management hosts")
public class ManagementHostResource {

    private final ManagementHostService service;

    ManagementHostResource(ManagementHostService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Register a management host with its ADMIN, CONTROLLER and BAREMETAL nodes")
    public Response register(@NotNull @Valid ManagementHostRequest request, @Context UriInfo uri) {
        var view = Views.of(service.register(request));
        return Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build()).entity(view).build();
    }

    @GET
    @Operation(summary = "List management hosts with their nodes")
    public List<ManagementHostView> list() {
        return service.list().stream().map(Views::of).toList();
    }

    @GET
    @Path("/{idOrName}")
    @Operation(summary = "One management host, by id or name")
    public ManagementHostView get(@PathParam("idOrName") String idOrName) {
        return Views.of(service.get(idOrName));
    }

    @PUT
    @Path("/{idOrName}")
    @Operation(summary = "Replace a management host's hypervisor and nodes")
    public ManagementHostView replace(@PathParam("idOrName") String idOrName,
                                      @NotNull @Valid ManagementHostRequest request) {
        return Views.of(service.replace(idOrName, request));
    }

    @DELETE
    @Path("/{idOrName}")
    @Operation(summary = "Remove a management host from inventory")
    public Response remove(@PathParam("idOrName") String idOrName) {
        service.remove(idOrName);
        return Response.noContent().build();
    }
}
