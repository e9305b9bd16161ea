package moonshot.inventory.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import moonshot.contract.Names;

import java.util.List;

/** Registers or replaces a management host with its three nodes; {@code hypervisor} is a name or an id. */
public record ManagementHostRequest(
        @NotBlank @Pattern(regexp = Names.RESOURCE_NAME_REGEX,
                message = "must start with a letter or digit and hold only letters, digits, '.', '_', '-' (max 63)")
        String name,
        @NotBlank
        String hypervisor,
        @NotNull @Size(max = 3, message = "must hold exactly one ADMIN, one CONTROLLER and one BAREMETAL node")
        List<@NotNull @Valid NodeRequest> nodes) {
}
