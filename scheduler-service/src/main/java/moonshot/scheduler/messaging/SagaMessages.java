package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartPowerSequence;
import moonshot.scheduler.saga.MaintenanceSaga;
import moonshot.scheduler.saga.RestoreSaga;

/** What the restore and maintenance sagas send, to the outbox in the caller's transaction. */
@ApplicationScoped
public class SagaMessages implements RestoreSaga.Effects, MaintenanceSaga.Effects {

    private final PowerCommands power;
    private final ExecutorCommands executor;
    private final MaintenanceStatusEvents statuses;

    SagaMessages(PowerCommands power, ExecutorCommands executor, MaintenanceStatusEvents statuses) {
        this.power = power;
        this.executor = executor;
        this.statuses = statuses;
    }

    @Override
    public void startPowerSequence(StartPowerSequence command) {
        power.startPowerSequence(command);
    }

    @Override
    public void restoreNode(RestoreNode command) {
        executor.restoreNode(command);
    }

    @Override
    public void ready(MaintenanceStatus status) {
        statuses.ready(status);
    }

    @Override
    public void blocked(MaintenanceStatus status) {
        statuses.blocked(status);
    }

    @Override
    public void finished(MaintenanceStatus status) {
        statuses.finished(status);
    }
}
