package moonshot.contract;

import java.util.UUID;

/**
 * Command to the executor (on {@code executor.commands}): carry one power action out on one VM and report the power
 * state observed afterwards, waiting up to {@code timeoutSeconds} for it to be reached.
 */
public record PowerNode(UUID commandId, UUID sequenceId, String managementHost, NodeRole role, String vmName,
                        PowerAction action, long timeoutSeconds) {
}
