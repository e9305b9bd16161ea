package moonshot.contract;

import java.util.UUID;

/**
 * Command to power-service (on {@code power.commands}): power a management host's nodes off or on in the one safe
 * order, the hypervisor too if asked. {@code requestedBy} says which saga or ticket asked (for the record).
 */
public record StartPowerSequence(UUID sequenceId, String managementHost, PowerDirection direction,
                                 boolean includeHypervisor, @OptionalField String requestedBy) {
}
