package moonshot.inventory.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
                String> macs,
        @Size(max = 2048)
        @Pattern(regexp = READINESS_PROBE_REGEX,
                message = "must be http://… or https://… (answers 2xx when Deployed) or tcp://host:port")
        String readinessProbe) {

    private static final String PROBE_HOST = "([A-Za-z0-9][A-Za-z0-9.\\-]*|\\[[0-9A-Fa-f:.]+\\])";

    /** {@code http(s)://host[:port][/path]} or {@code tcp://host:port}; the service checks the port range. */
    public static final String READINESS_PROBE_REGEX = "https?://" + PROBE_HOST + "(:[0-9]{1,5})?([/?][^\\s]*)?"
            + "|tcp://" + PROBE_HOST + ":[0-9]{1,5}";
}
