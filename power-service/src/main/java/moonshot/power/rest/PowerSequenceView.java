package moonshot.power.rest;

import moonshot.contract.PowerAction;
import moonshot.contract.PowerDirection;
import moonshot.power.PowerSequence;
import moonshot.power.SequenceState;
import moonshot.power.StepKind;
import moonshot.power.StepState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A power sequence as served over REST: every step with its state, command, timestamps and message. */
public record PowerSequenceView(UUID id, String managementHost, PowerDirection direction, boolean includeHypervisor,
                                SequenceState state, String requestedBy, Instant requestedAt, Instant startedAt,
                                Instant finishedAt, String failedStep, String reason, List<StepView> steps) {

    public record StepView(int order, String target, StepKind kind, String vmName, StepState state,
                           PowerAction action, UUID commandId, Instant startedAt, Instant commandedAt,
                           Instant observedAt, Instant confirmedAt, Instant deadline, String readinessProbe,
                           int checks, String message) {
    }

    static PowerSequenceView of(PowerSequence s) {
        return new PowerSequenceView(s.id, s.managementHost, s.direction, s.includeHypervisor, s.state,
                s.requestedBy, s.requestedAt, s.startedAt, s.finishedAt, s.failedStep, s.reason,
                s.steps.stream().map(st -> new StepView(st.position, st.target, st.kind, st.vmName, st.state,
                        st.action, st.commandId, st.startedAt, st.commandedAt, st.observedAt, st.confirmedAt,
                        st.deadline, st.readinessProbe, st.checks, st.message)).toList());
    }
}
