package moonshot.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.MaintenanceKind;
import moonshot.scheduler.service.MaintenanceTickets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Maintenance and deployment events from other systems on {@code moonshot.maintenance} (root README, Public contract).
 * Duplicates (same source and id) have no second effect; unusable events go to {@code moonshot.maintenance.dlq} with
 * the reason.
 */
@ApplicationScoped
public class MaintenanceConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    MaintenanceConsumer(IncomingEvents incoming, MaintenanceTickets tickets) {
        this.incoming = incoming;
        var routes = EventRoutes.consumer("scheduler.maintenance");
        // every type that opens a ticket, and the one that completes it
        Stream.concat(Arrays.stream(MaintenanceKind.values()).map(MaintenanceKind::eventType),
                Stream.of(EventTypes.MAINTENANCE_COMPLETED)).forEach(type ->
                routes.on(type, MaintenanceRequest.class, request -> {
                    MDC.put("managementHost", request.managementHost());
                    tickets.handle(type, request);
                }));
        this.routes = routes;
    }

    @Incoming("maintenance")
    public Uni<Void> onMaintenance(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }
}
