package moonshot.inventory.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import moonshot.contract.Names;

import java.util.List;

public record NodeRequest(
        @NotBlank @Pattern(regexp = "ADMIN|CONTROLLER|BAREMETAL", message = "must be ADMIN, CONTROLLER or BAREMETAL")
        String role,
        @NotBlank @Pattern(regexp = Names.VM_NAME_REGEX,
                message = "must be 1 to 80 letters, digits, '.', '_' or '-'")
        String vmName,
        @Min(1) @Max(999_999_999)
        Integer vzdumpVmid,
        List<@Pattern(regexp = "[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}", message = "must be a MAC address like 00:50:56:aa:bb:cc")
                String> macs) {
}
