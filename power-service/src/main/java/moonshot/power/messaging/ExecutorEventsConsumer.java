package moonshot.power.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.power.service.ApplyExecutorAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The executor's answers to power commands, from {@code executor.events} (deduplicated, one transaction each). The
 * topic also carries backup, restore and discovery events for the other services: those are passed over, neither
 * recorded nor dead-lettered. A power answer that cannot be used (missing field, unknown sequence) goes to
 * {@code executor.events.dlq} with the reason.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    ExecutorEventsConsumer(IncomingEvents incoming, ApplyExecutorAnswers answers) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("power.executor-events")
                .on(EventTypes.NODE_POWER_OBSERVED, NodePowerObserved.class, answers::observed)
                .on(EventTypes.NODE_POWER_FAILED, NodePowerFailed.class, answers::failed)
                .on(EventTypes.HYPERVISOR_CHECKED, HypervisorChecked.class, answers::checked)
                .passOver(EventTypes.EXECUTOR_PREFIX);
    }

    @Incoming("executor-events")
    public Uni<Void> onExecutorEvent(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }
}
