package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.ApplyRetention;
import moonshot.scheduler.service.RecordNodeBackupOutcome;
import moonshot.scheduler.service.ApplyRestoreAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * The executor's answers on {@code executor.events}: node backups applied to their runs, artifact deletions to
 * retention, node restores to their restore step (deduplicated, in one transaction each). Other executor answers on
 * the topic belong to other services and are skipped; a record that is not a usable executor event is dead-lettered.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ExecutorEventsConsumer.class);

    private static final String EXECUTOR_TYPES = "moonshot.executor.";

    private final IncomingEvents incoming;
    private final RecordNodeBackupOutcome outcomes;
    private final ApplyRetention retention;
    private final ApplyRestoreAnswers restores;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordNodeBackupOutcome outcomes, ApplyRetention retention,
                           ApplyRestoreAnswers restores) {
        this.incoming = incoming;
        this.outcomes = outcomes;
        this.retention = retention;
        this.restores = restores;
    }

    @Incoming("executor-events")
    @Transactional
    public void onExecutorEvent(ConsumerRecord<String, String> record) {
        try {
            incoming.firstDelivery("scheduler.executor-events", record).ifPresent(event -> {
                if (!event.type().equals(EventTypes.NODE_RESTORED)
                        && !event.type().equals(EventTypes.NODE_RESTORE_FAILED)) {
                    MDC.put("run", String.valueOf(event.subject())); // a restore's answers put the restore instead
                }
                switch (event.type()) {
                    case EventTypes.NODE_BACKUP_STARTED ->
                            outcomes.started(CloudEventCodec.data(event, NodeBackupStarted.class));
                    case EventTypes.NODE_BACKUP_SUCCEEDED ->
                            outcomes.succeeded(CloudEventCodec.data(event, NodeBackupSucceeded.class));
                    case EventTypes.NODE_BACKUP_FAILED ->
                            outcomes.failed(CloudEventCodec.data(event, NodeBackupFailed.class));
                    case EventTypes.ARTIFACTS_DELETED ->
                            retention.artifactsDeleted(CloudEventCodec.data(event, ArtifactsDeleted.class));
                    case EventTypes.NODE_RESTORED -> restores.nodeRestored(CloudEventCodec.data(event,
                            NodeRestored.class));
                    case EventTypes.NODE_RESTORE_FAILED -> restores.nodeRestoreFailed(CloudEventCodec.data(event,
                            NodeRestoreFailed.class));
                    default -> {
                        if (!event.type().startsWith(EXECUTOR_TYPES)) {
                            throw new UnusableEventException("unknown event type " + event.type());
                        }
                        // executor.events also carries answers meant for other services (discovery for inventory,
                        // power observations for power-service): not ours, and not unusable either
                        LOG.debugf("ignoring %s, meant for another service", event.type());
                    }
                }
            });
        } finally {
            MDC.remove("run");
            MDC.remove("managementHost");
        }
    }
}
