package moonshot.contract;

import java.util.UUID;

/** Command to the executor: is the management host's hypervisor answering on SSH right now? */
public record CheckHypervisor(UUID commandId, UUID sequenceId, String managementHost) {
}
