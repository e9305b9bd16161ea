package moonshot.contract;

import java.util.UUID;

/** The executor could not carry a {@link PowerNode} out; {@code reason} is the tool's own message or the timeout. */
public record NodePowerFailed(UUID commandId, UUID sequenceId, String managementHost, NodeRole role, String vmName,
                              String reason) {
}
