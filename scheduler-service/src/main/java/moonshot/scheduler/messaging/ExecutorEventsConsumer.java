package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.RecordNodeBackupOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/** Node backup events from the executor, applied to their runs (deduplicated, in one transaction each). */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private final IncomingEvents incoming;
    private final RecordNodeBackupOutcome outcomes;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordNodeBackupOutcome outcomes) {
        this.incoming = incoming;
        this.outcomes = outcomes;
    }

    @Incoming("executor-events")
    @Transactional
    public void onExecutorEvent(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("scheduler.executor-events", record).ifPresent(event -> {
                MDC.put("run", String.valueOf(event.subject()));
                switch (event.type()) {
                    case EventTypes.NODE_BACKUP_STARTED ->
                            outcomes.started(CloudEventCodec.data(event, NodeBackupStarted.class));
                    case EventTypes.NODE_BACKUP_SUCCEEDED ->
                            outcomes.succeeded(CloudEventCodec.data(event, NodeBackupSucceeded.class));
                    case EventTypes.NODE_BACKUP_FAILED ->
                            outcomes.failed(CloudEventCodec.data(event, NodeBackupFailed.class));
                    default -> throw new UnusableEventException("unknown event type " + event.type());
                }
            });
        } finally {
            MDC.remove("run");
            MDC.remove("managementHost");
        }
    }
}
