package moonshot.power.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.CheckHypervisor;
import moonshot.contract.CloudEvent;
import moonshot.contract.CloudEventCodec;
import moonshot.contract.EventTypes;
import moonshot.contract.PowerHypervisor;
import moonshot.contract.PowerNode;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.Topics;
import moonshot.messaging.Outbox;
import moonshot.power.saga.PowerSequenceSaga;

import java.time.Clock;
import java.util.UUID;

/**
 * Everything power-service sends, written to the outbox in the caller's transaction (so a message leaves only with
 * the state change it belongs to), keyed by management host. A command's CloudEvent id is its command id.
 */
@ApplicationScoped
public class PowerMessages implements PowerSequenceSaga.Effects {

    static final String SOURCE = "/power-service";

    private final Outbox outbox;
    private final Clock clock;

    PowerMessages(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void powerNode(PowerNode command) {
        outbox.send(Topics.EXECUTOR_COMMANDS, command.managementHost(),
                event(command.commandId(), EventTypes.POWER_NODE, command.sequenceId(), command));
    }

    @Override
    public void checkHypervisor(CheckHypervisor command) {
        outbox.send(Topics.EXECUTOR_COMMANDS, command.managementHost(),
                event(command.commandId(), EventTypes.CHECK_HYPERVISOR, command.sequenceId(), command));
    }

    @Override
    public void powerHypervisor(PowerHypervisor request) {
        outbox.send(Topics.HYPERVISOR_POWER, request.managementHost(),
                event(UUID.randomUUID(), EventTypes.POWER_HYPERVISOR, request.sequenceId(), request));
    }

    @Override
    public void sequenceSucceeded(PowerSequenceFinished event) {
        outbox.send(Topics.POWER_EVENTS, event.managementHost(),
                event(UUID.randomUUID(), EventTypes.POWER_SEQUENCE_FINISHED, event.sequenceId(), event));
    }

    @Override
    public void sequenceFailed(PowerSequenceFailed event) {
        outbox.send(Topics.POWER_EVENTS, event.managementHost(),
                event(UUID.randomUUID(), EventTypes.POWER_SEQUENCE_FAILED, event.sequenceId(), event));
    }

    private CloudEvent event(UUID id, String type, UUID sequenceId, Record data) {
        return new CloudEvent(CloudEvent.SPEC_VERSION, id.toString(), SOURCE, type, clock.instant(),
                sequenceId.toString(), "application/json", CloudEventCodec.mapper().valueToTree(data));
    }
}
