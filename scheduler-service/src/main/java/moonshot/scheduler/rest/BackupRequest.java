package moonshot.scheduler.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An operator's request for a backup now. */
public record BackupRequest(
        @NotBlank String managementHost,
        @NotBlank @Pattern(regexp = "ADMIN|PAIR|FULL", message = "must be ADMIN, PAIR or FULL") String scope,
        @Size(max = 500) String reason) {
}
