package moonshot.power.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.power.repository.PowerSequenceRepository;
import moonshot.power.saga.PowerSequenceSaga;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * At startup, running sequences carry on from their persisted state. Nothing is re-sent: a step whose command went
 * out before the restart keeps waiting for the executor's answer (which the consumer reads from its committed
 * offset) until its deadline; only a deadline that passed while the service was down is acted on, as the tick would.
 */
@ApplicationScoped
public class ResumePowerSequences {

    private static final Logger LOG = Logger.getLogger(ResumePowerSequences.class);

    private final PowerSequenceRepository sequences;
    private final AdvancePowerSequences advance;
    private final PowerSequenceSaga saga;
    private final Clock clock;

    ResumePowerSequences(PowerSequenceRepository sequences, AdvancePowerSequences advance, PowerSequenceSaga saga,
                         Clock clock) {
        this.sequences = sequences;
        this.advance = advance;
        this.saga = saga;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        resumeAll();
    }

    /** @return the running sequences it resumed */
    public List<UUID> resumeAll() {
        List<UUID> running = QuarkusTransaction.requiringNew().call(sequences::runningIds);
        for (UUID id : running) {
            advance.change(id, sequence -> {
                LOG.infof("resuming power sequence %s of %s (%s): waiting for %s; nothing already sent is sent again",
                        sequence.id, sequence.managementHost, sequence.direction,
                        PowerSequenceSaga.waitingFor(sequence));
                saga.tick(sequence, clock.instant());
            });
        }
        advance.startQueued();
        return running;
    }
}
