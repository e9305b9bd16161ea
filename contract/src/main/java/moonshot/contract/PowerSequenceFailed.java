package moonshot.contract;

import java.util.UUID;

/** power-service (on {@code power.events}): the sequence halted at {@code step} for {@code reason}; nothing after it ran. */
public record PowerSequenceFailed(UUID sequenceId, String managementHost, PowerDirection direction, String step,
                                  String reason) {
}
