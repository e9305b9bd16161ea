package moonshot.power.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.HypervisorChecked;
import moonshot.contract.NodePowerFailed;
import moonshot.contract.NodePowerObserved;
import moonshot.contract.UnusableEventException;
import moonshot.power.PowerSequence;
import moonshot.power.repository.PowerSequenceRepository;
import moonshot.power.saga.PowerSequenceSaga;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;

/** Applies the executor's answers to the sequence they belong to, under its row lock, in the caller's transaction. */
@ApplicationScoped
public class ApplyExecutorAnswers {

    private final PowerSequenceRepository sequences;
    private final PowerSequences lifecycle;
    private final PowerSequenceSaga saga;
    private final Clock clock;

    ApplyExecutorAnswers(PowerSequenceRepository sequences, PowerSequences lifecycle, PowerSequenceSaga saga,
                         Clock clock) {
        this.sequences = sequences;
        this.lifecycle = lifecycle;
        this.saga = saga;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void observed(NodePowerObserved answer) {
        apply(answer.sequenceId(), sequence -> saga.nodeObserved(sequence, answer, clock.instant()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failed(NodePowerFailed answer) {
        apply(answer.sequenceId(), sequence -> saga.nodeFailed(sequence, answer, clock.instant()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void checked(HypervisorChecked answer) {
        apply(answer.sequenceId(), sequence -> saga.hypervisorChecked(sequence, answer, clock.instant()));
    }

    private void apply(UUID sequenceId, Consumer<PowerSequence> change) {
        MDC.put("sequence", sequenceId.toString());
        PowerSequence sequence = sequences.lock(sequenceId)
                .orElseThrow(() -> new UnusableEventException("unknown power sequence " + sequenceId));
        MDC.put("managementHost", sequence.managementHost);
        change.accept(sequence);
        lifecycle.afterChange(sequence);
    }
}
