package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.MaintenanceRequest;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.MaintenanceTickets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Maintenance and deployment events from other systems on {@code moonshot.maintenance} (ARCHITECTURE.md §4.1).
 * Duplicates (same event id) have no second effect; unusable events go to {@code moonshot.maintenance.dlq} with
 * the reason.
 */
@ApplicationScoped
public class MaintenanceConsumer {

    private final IncomingEvents incoming;
    private final MaintenanceTickets tickets;

    MaintenanceConsumer(IncomingEvents incoming, MaintenanceTickets tickets) {
        this.incoming = incoming;
        this.tickets = tickets;
    }

    @Incoming("maintenance")
    @Transactional(dontRollbackOn = ConflictException.class)
    public void onMaintenance(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("scheduler.maintenance", record).ifPresent(event -> {
                MaintenanceTickets.kindOf(event.type()).orElseThrow(() ->
                        new moonshot.contract.UnusableEventException("unknown event type " + event.type()));
                var request = CloudEventCodec.data(event, MaintenanceRequest.class);
                MDC.put("managementHost", request.managementHost());
                tickets.handle(event.type(), request);
            });
        } finally {
            MDC.remove("managementHost");
        }
    }
}
