package moonshot.power.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.messaging.ProcessedMessages;
import moonshot.messaging.ReceivedRecords;
import moonshot.power.service.ApplyExecutorAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Set;

/**
 * The executor's answers to power commands, from {@code executor.events} (deduplicated, one transaction each). The
 * topic also carries backup, restore and discovery events for the other services: those are passed over, neither
 * recorded nor dead-lettered. A power answer that cannot be used (missing field, unknown sequence) goes to
 * {@code executor.events.dlq} with the reason.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ExecutorEventsConsumer.class);
    private static final Set<String> POWER_ANSWERS = Set.of(EventTypes.NODE_POWER_OBSERVED,
            EventTypes.NODE_POWER_FAILED, EventTypes.HYPERVISOR_CHECKED);

    private final ProcessedMessages processed;
    private final ApplyExecutorAnswers answers;

    ExecutorEventsConsumer(ProcessedMessages processed, ApplyExecutorAnswers answers) {
        this.processed = processed;
        this.answers = answers;
    }

    @Incoming("executor-events")
    @Transactional
    public void onExecutorEvent(ConsumerRecord<String, String> record) {
        try {
            CloudEvent event = ReceivedRecords.cloudEvent(record);
            if (!POWER_ANSWERS.contains(event.type())) {
                LOG.debugf("passing over %s %s: not for power-service", event.type(), event.id());
                return;
            }
            if (record.key() != null) {
                MDC.put("managementHost", record.key());
            }
            if (!processed.firstDelivery("power.executor-events", event.id())) {
                LOG.infof("event %s (%s) was already processed; no second effect", event.id(), event.type());
                return;
            }
            switch (event.type()) {
                case EventTypes.NODE_POWER_OBSERVED ->
                        answers.observed(CloudEventCodec.data(event, NodePowerObserved.class));
                case EventTypes.NODE_POWER_FAILED -> answers.failed(CloudEventCodec.data(event, NodePowerFailed.class));
                case EventTypes.HYPERVISOR_CHECKED ->
                        answers.checked(CloudEventCodec.data(event, HypervisorChecked.class));
                default -> throw new IllegalStateException("unreachable: " + event.type());
            }
        } finally {
            MDC.remove("managementHost");
            MDC.remove("sequence");
            MDC.remove("node");
        }
    }
}
