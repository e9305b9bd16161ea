package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.RestoreNode;
import moonshot.contract.StartBackup;
import moonshot.contract.Topics;
import moonshot.messaging.Outbox;

import java.time.Clock;

/** Commands to the executor, written to the outbox in the caller's transaction. */
@ApplicationScoped
public class ExecutorCommands {

    static final String SOURCE = "/scheduler-service";

    private final Outbox outbox;
    private final Clock clock;

    ExecutorCommands(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void startBackup(StartBackup command) {
        outbox.send(Topics.EXECUTOR_COMMANDS, command.managementHost(), CloudEvent.of(SOURCE, EventTypes.START_BACKUP,
                command.runId().toString(), command, clock.instant()));
    }

    public void restoreNode(RestoreNode command) {
        outbox.send(Topics.EXECUTOR_COMMANDS, command.managementHost(), CloudEvent.of(SOURCE, EventTypes.RESTORE_NODE,
                command.restoreId().toString(), command, clock.instant()));
    }
}
