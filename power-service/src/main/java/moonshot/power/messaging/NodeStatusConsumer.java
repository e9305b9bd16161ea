package moonshot.power.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeStatus;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.power.service.RecordNodeStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * The dashboard's node-status events on the public topic {@code moonshot.node-status} (root README, Public contract).
 * Duplicates (same source and id) have no second effect; an unusable event (bad JSON, unknown type, missing field,
 * unknown management host or VM) goes to {@code moonshot.node-status.dlq} with the reason.
 */
@ApplicationScoped
public class NodeStatusConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    NodeStatusConsumer(IncomingEvents incoming, RecordNodeStatus statuses) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("power.node-status")
                .onEvent(EventTypes.NODE_STATUS, NodeStatus.class, (status, event) -> {
                    MDC.put("managementHost", status.managementHost());
                    MDC.put("node", status.node());
                    statuses.record(status, event.id(), event.time());
                });
    }

    @Incoming("node-status")
    public Uni<Void> onNodeStatus(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }
}
