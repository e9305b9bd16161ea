package moonshot.scheduler;

import moonshot.contract.EventTypes;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a maintenance ticket was opened for, by the event type that announced it (root README, Public contract). Each gets a
 * FULL backup first; a deployment's is kept as a protected baseline and no status event is due for it.
 * ({@code moonshot.maintenance.completed} opens no ticket: it completes one.)
 */
public enum MaintenanceKind {
    SCHEDULED(EventTypes.MAINTENANCE_SCHEDULED),
    HOTFIX(EventTypes.MAINTENANCE_HOTFIX),
    UPGRADE(EventTypes.MAINTENANCE_UPGRADE),
    DEPLOYMENT(EventTypes.DEPLOYMENT_SUCCEEDED);

    private final String eventType;

    MaintenanceKind(String eventType) {
        this.eventType = eventType;
    }

    /** The kind of ticket a request of {@code eventType} opens; empty for completed and for unknown types. */
    public static Optional<MaintenanceKind> opening(String eventType) {
        return Arrays.stream(values()).filter(kind -> kind.eventType.equals(eventType)).findFirst();
    }

    public String eventType() {
        return eventType;
    }

    /** The backup is kept as a protected baseline, and the ticket waits for nothing after it. */
    public boolean keepsBaseline() {
        return this == DEPLOYMENT;
    }
}
