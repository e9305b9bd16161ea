package moonshot.power.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An operator's request to power a management host off or on in the one safe order. */
public record PowerSequenceRequest(
        @NotBlank String managementHost,
        @NotBlank @Pattern(regexp = "OFF|ON", message = "must be OFF or ON") String direction,
        Boolean includeHypervisor,
        @Size(max = 255) String requestedBy) {
}
