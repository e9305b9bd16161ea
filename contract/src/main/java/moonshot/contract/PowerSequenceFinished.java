package moonshot.contract;

import java.util.UUID;

/** power-service (on {@code power.events}): every step of the sequence was confirmed. */
public record PowerSequenceFinished(UUID sequenceId, String managementHost, PowerDirection direction) {
}
