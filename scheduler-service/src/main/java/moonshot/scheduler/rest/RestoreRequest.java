package moonshot.scheduler.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * An operator's restore: the nodes that failed (the rules decide what is restored), optionally the backup set (a run
 * id) to restore from, and whether to only see the plan. {@code dryRun} has no default: a restore powers the whole
 * management host off, so it is never started by omission.
 */
public record RestoreRequest(
        @NotBlank String managementHost,
        @NotEmpty List<@NotNull @Pattern(regexp = "ADMIN|CONTROLLER|BAREMETAL",
                message = "must be ADMIN, CONTROLLER or BAREMETAL") String> failedNodes,
        String backupSet,
        @NotNull(message = "must be true (show the plan only) or false (restore)") Boolean dryRun,
        Boolean includeHypervisor,
        @Size(max = 255) String requestedBy) {
}
