package moonshot.scheduler.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import moonshot.contract.Names;

/** Creates or replaces a backup policy. Retention counts default to 0 except keepLast (1). */
public record PolicyRequest(
        String managementHost,
        @NotBlank @Pattern(regexp = Names.RESOURCE_NAME_REGEX, message = "must be letters, digits, '.', '_', '-'")
        String name,
        @NotBlank @Pattern(regexp = "ADMIN|PAIR|FULL", message = "must be ADMIN, PAIR or FULL") String scope,
        @NotBlank String cron,
        Boolean enabled,
        @Min(0) @Max(1000) Integer keepLast,
        @Min(0) @Max(1000) Integer keepDaily,
        @Min(0) @Max(1000) Integer keepWeekly,
        @Min(0) @Max(1000) Integer keepMonthly) {
}
