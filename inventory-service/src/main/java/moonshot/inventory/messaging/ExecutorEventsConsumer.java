package moonshot.inventory.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.EventTypes;
import moonshot.contract.VmsDiscovered;
import moonshot.inventory.service.RecordDiscoveryOutcome;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The executor's answers to discoveries, from {@code executor.events} (deduplicated, one transaction each). That topic
 * also carries the executor's backup, restore and power events, which are other services' business: they are passed
 * over, neither recorded nor dead-lettered.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordDiscoveryOutcome discoveries) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("inventory.executor-events")
                .on(EventTypes.VMS_DISCOVERED, VmsDiscovered.class, discoveries::discovered)
                .on(EventTypes.DISCOVERY_FAILED, DiscoveryFailed.class, discoveries::failed)
                .passOver(EventTypes.EXECUTOR_PREFIX);
    }

    @Incoming("executor-events")
    public Uni<Void> onExecutorEvent(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }
}
