package moonshot.contract;

import java.util.UUID;

/** The executor's answer to {@link CheckHypervisor}. */
public record HypervisorChecked(UUID commandId, UUID sequenceId, String managementHost, boolean reachable,
                                @OptionalField String message) {
}
