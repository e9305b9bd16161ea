package moonshot.executor.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.ArtifactsDeleted;
import moonshot.contract.CloudEvent;
import moonshot.contract.DiscoveryFailed;
import moonshot.contract.EventTypes;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodeBackupFailed;
import moonshot.contract.NodeBackupStarted;
import moonshot.contract.NodeBackupSucceeded;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.NodeRestoreFailed;
import moonshot.contract.NodeRestored;
import moonshot.contract.Topics;
import moonshot.contract.VmsDiscovered;
import moonshot.messaging.Outbox;

import java.time.Clock;

/**
 * What the executor reports, through the outbox, keyed by management host; the subject is the id of what is reported
 * on: the run, the discovery or the deletion request, or the power, check or restore command.
 */
@ApplicationScoped
public class ExecutorEvents {

    static final String SOURCE = "/executor-service";

    private final Outbox outbox;
    private final Clock clock;

    ExecutorEvents(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void started(NodeBackupStarted event) {
        send(event.managementHost(), EventTypes.NODE_BACKUP_STARTED, event.runId().toString(), event);
    }

    public void succeeded(NodeBackupSucceeded event) {
        send(event.managementHost(), EventTypes.NODE_BACKUP_SUCCEEDED, event.runId().toString(), event);
    }

    public void failed(NodeBackupFailed event) {
        send(event.managementHost(), EventTypes.NODE_BACKUP_FAILED, event.runId().toString(), event);
    }

    public void discovered(VmsDiscovered event) {
        send(event.managementHost(), EventTypes.VMS_DISCOVERED, event.discoveryId().toString(), event);
    }

    public void discoveryFailed(DiscoveryFailed event) {
        send(event.managementHost(), EventTypes.DISCOVERY_FAILED, event.discoveryId().toString(), event);
    }

    public void artifactsDeleted(ArtifactsDeleted event) {
        send(event.managementHost(), EventTypes.ARTIFACTS_DELETED, event.requestId().toString(), event);
    }

    public void powerObserved(NodePowerObserved event) {
        send(event.managementHost(), EventTypes.NODE_POWER_OBSERVED, event.commandId().toString(), event);
    }

    public void powerFailed(NodePowerFailed event) {
        send(event.managementHost(), EventTypes.NODE_POWER_FAILED, event.commandId().toString(), event);
    }

    public void hypervisorChecked(HypervisorChecked event) {
        send(event.managementHost(), EventTypes.HYPERVISOR_CHECKED, event.commandId().toString(), event);
    }

    public void restored(NodeRestored event) {
        send(event.managementHost(), EventTypes.NODE_RESTORED, event.commandId().toString(), event);
    }

    public void restoreFailed(NodeRestoreFailed event) {
        send(event.managementHost(), EventTypes.NODE_RESTORE_FAILED, event.commandId().toString(), event);
    }

    private void send(String managementHost, String type, String subject, Object data) {
        outbox.send(Topics.EXECUTOR_EVENTS, managementHost, CloudEvent.of(SOURCE, type, subject, data, clock.instant()));
    }
}
