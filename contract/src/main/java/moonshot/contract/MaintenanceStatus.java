package moonshot.contract;

import java.util.UUID;

/**
 * The data of a {@code moonshot.maintenance.ready|blocked|finished} event on {@code moonshot.maintenance.status}
 * (root README, Public contract); the event's subject is the ticket.
 */
public record MaintenanceStatus(
        String managementHost,
        String ticket,
        @OptionalField UUID backupRun,
        @OptionalField String reason) {
}
