package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.ApplyRetention;
import moonshot.scheduler.service.RecordNodeBackupOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/** Node backup events from the executor, applied to their runs (deduplicated, in one transaction each). */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ExecutorEventsConsumer.class);

    private final IncomingEvents incoming;
    private final RecordNodeBackupOutcome outcomes;
    private final ApplyRetention retention;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordNodeBackupOutcome outcomes, ApplyRetention retention) {
        this.incoming = incoming;
        this.outcomes = outcomes;
        this.retention = retention;
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
                    case EventTypes.ARTIFACTS_DELETED ->
                            retention.artifactsDeleted(CloudEventCodec.data(event, ArtifactsDeleted.class));
                    // executor.events also carries answers meant for other services (discovery for inventory)
                    case EventTypes.VMS_DISCOVERED, EventTypes.DISCOVERY_FAILED ->
                            LOG.debugf("ignoring %s, meant for inventory", event.type());
                    default -> throw new UnusableEventException("unknown event type " + event.type());
                }
            });
        } finally {
            MDC.remove("run");
            MDC.remove("managementHost");
        }
    }
}
