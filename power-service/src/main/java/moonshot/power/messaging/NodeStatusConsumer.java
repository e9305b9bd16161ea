package moonshot.power.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeStatus;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.power.service.RecordNodeStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * The dashboard's node-status events on the public topic {@code moonshot.node-status} (ARCHITECTURE.md §4.2).
 * Duplicates (same id) have no second effect; an unusable event (bad JSON, unknown type, missing field, unknown
 * management host or VM) goes to {@code moonshot.node-status.dlq} with the reason.
 */
@ApplicationScoped
public class NodeStatusConsumer {

    private final IncomingEvents incoming;
    private final RecordNodeStatus statuses;

    NodeStatusConsumer(IncomingEvents incoming, RecordNodeStatus statuses) {
        this.incoming = incoming;
        this.statuses = statuses;
    }

    @Incoming("node-status")
    @Transactional
    public void onNodeStatus(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("power.node-status", record).ifPresent(event -> {
                if (!EventTypes.NODE_STATUS.equals(event.type())) {
                    throw new UnusableEventException("unknown event type " + event.type());
                }
                var status = CloudEventCodec.data(event, NodeStatus.class);
                MDC.put("managementHost", status.managementHost());
                MDC.put("node", status.node());
                statuses.record(status, event.id(), event.time());
            });
        } finally {
            MDC.remove("managementHost");
            MDC.remove("sequence");
            MDC.remove("node");
        }
    }
}
