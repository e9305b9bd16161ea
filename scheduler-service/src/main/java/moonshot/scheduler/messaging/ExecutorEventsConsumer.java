package moonshot.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.EventTypes;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.messaging.EventRoutes;
import moonshot.messaging.IncomingEvents;
import moonshot.scheduler.service.ApplyRetention;
import moonshot.scheduler.service.RecordNodeBackupOutcome;
import moonshot.scheduler.service.ApplyRestoreAnswers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import java.util.function.Consumer;

/**
 * The executor's answers on {@code executor.events}: node backups applied to their runs, artifact deletions to
 * retention, node restores to their restore step (deduplicated, in one transaction each). Other executor answers on
 * the topic belong to other services and are passed over; a record that is not a usable executor event is
 * dead-lettered.
 */
@ApplicationScoped
public class ExecutorEventsConsumer {

    private final IncomingEvents incoming;
    private final EventRoutes routes;

    ExecutorEventsConsumer(IncomingEvents incoming, RecordNodeBackupOutcome outcomes, ApplyRetention retention,
                           ApplyRestoreAnswers restores) {
        this.incoming = incoming;
        this.routes = EventRoutes.consumer("scheduler.executor-events")
                .onEvent(EventTypes.NODE_BACKUP_STARTED, NodeBackupStarted.class,
                        inRun(outcomes::started))
                .onEvent(EventTypes.NODE_BACKUP_SUCCEEDED, NodeBackupSucceeded.class,
                        inRun(outcomes::succeeded))
                .onEvent(EventTypes.NODE_BACKUP_FAILED, NodeBackupFailed.class,
                        inRun(outcomes::failed))
                .onEvent(EventTypes.ARTIFACTS_DELETED, ArtifactsDeleted.class,
                        inRun(retention::artifactsDeleted))
                .on(EventTypes.NODE_RESTORED, NodeRestored.class, restores::nodeRestored)
                .on(EventTypes.NODE_RESTORE_FAILED, NodeRestoreFailed.class, restores::nodeRestoreFailed)
                .passOver(EventTypes.EXECUTOR_PREFIX);
    }

    @Incoming("executor-events")
    public Uni<Void> onExecutorEvent(ConsumerRecord<String, String> record) {
        return incoming.handle(record, routes);
    }

    /** Logs what the handler does under the run it belongs to (the event's subject). */
    private static <T> EventRoutes.EventHandler<T> inRun(Consumer<T> handler) {
        return (data, event) -> {
            MDC.put("run", String.valueOf(event.subject()));
            handler.accept(data);
        };
    }
}
