package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.Topics;
import moonshot.messaging.Outbox;

import java.time.Clock;

/**
 * A maintenance ticket's status for the system that announced it (root README, Public contract) on
 * {@code moonshot.maintenance.status}, written to the outbox in the caller's transaction: keyed by management host, the
 * ticket as the event's subject.
 */
@ApplicationScoped
public class MaintenanceStatusEvents {

    private final Outbox outbox;
    private final Clock clock;

    MaintenanceStatusEvents(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void ready(MaintenanceStatus status) {
        publish(EventTypes.MAINTENANCE_READY, status);
    }

    public void blocked(MaintenanceStatus status) {
        publish(EventTypes.MAINTENANCE_BLOCKED, status);
    }

    public void finished(MaintenanceStatus status) {
        publish(EventTypes.MAINTENANCE_FINISHED, status);
    }

    private void publish(String type, MaintenanceStatus status) {
        outbox.send(Topics.MAINTENANCE_STATUS, status.managementHost(),
                CloudEvent.of(ExecutorCommands.SOURCE, type, status.ticket(), status, clock.instant()));
    }
}
