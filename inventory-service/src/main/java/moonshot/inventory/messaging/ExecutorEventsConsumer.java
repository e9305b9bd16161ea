package moonshot.inventory.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.EventTypes;
import moonshot.contract.VmsDiscovered;
import moonshot.inventory.service.RecordDiscoveryOutcome;
import moonshot.messaging.IncomingEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The executor's answers to discoveries, from {@code executor.events} (deduplicated, one transaction each). That topic
 * also carries the executor's backup events, which are the scheduler's business: they are passed over, not
 * dead-lettered.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ExecutorEventsConsumer.class);

    private final IncomingEvents incoming;
    private final RecordDiscoveryOutcome discoveries;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordDiscoveryOutcome discoveries) {
        this.incoming = incoming;
        this.discoveries = discoveries;
    }

    @Incoming("executor-events")
    @Transactional
    public void onExecutorEvent(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("inventory.executor-events", record).ifPresent(event -> {
                switch (event.type()) {
                    case EventTypes.VMS_DISCOVERED ->
                            discoveries.discovered(CloudEventCodec.data(event, VmsDiscovered.class));
                    case EventTypes.DISCOVERY_FAILED ->
                            discoveries.failed(CloudEventCodec.data(event, DiscoveryFailed.class));
                    default -> LOG.debugf("passing over %s %s: not for inventory", event.type(), event.id());
                }
            });
        } finally {
            MDC.remove("managementHost");
            MDC.remove("discovery");
        }
    }
}
