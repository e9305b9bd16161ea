package moonshot.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.messaging.Outbox;

import java.time.Clock;

/** Commands to power-service, written to the outbox in the caller's transaction (key = management host). */
@ApplicationScoped
public class PowerCommands {

    private final Outbox outbox;
    private final Clock clock;

    PowerCommands(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    public void startPowerSequence(StartPowerSequence command) {
        outbox.send(Topics.POWER_COMMANDS, command.managementHost(), CloudEvent.of(ExecutorCommands.SOURCE,
                EventTypes.START_POWER_SEQUENCE, command.sequenceId().toString(), command, clock.instant()));
    }
}
