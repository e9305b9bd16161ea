package moonshot.power.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.power.PowerSequence;
import moonshot.power.repository.PowerSequenceRepository;
import moonshot.power.repository.PowerSequenceRepository.DueProbe;
import moonshot.power.saga.PowerSequenceSaga;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The clock's part of power sequences, on the Quarkus scheduler's tick with the injected clock: passed deadlines
 * (a graceful shutdown escalates, anything else fails), due hypervisor checks, due readiness probes (asked outside any
 * transaction, so no row stays locked while a node is slow to answer), and queued sequences whose host is free.
 * Each sequence changes in its own transaction under its row lock.
 */
@ApplicationScoped
public class AdvancePowerSequences {

    private static final Logger LOG = Logger.getLogger(AdvancePowerSequences.class);

    private final PowerSequenceRepository sequences;
    private final PowerSequences lifecycle;
    private final PowerSequenceSaga saga;
    private final ReadinessProbes probes;
    private final Clock clock;

    AdvancePowerSequences(PowerSequenceRepository sequences, PowerSequences lifecycle, PowerSequenceSaga saga,
                          ReadinessProbes probes, Clock clock) {
        this.sequences = sequences;
        this.lifecycle = lifecycle;
        this.saga = saga;
        this.probes = probes;
        this.clock = clock;
    }

    @Scheduled(every = "${moonshot.power.tick:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        advance();
    }

    public void advance() {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> sequences.dueAt(clock.instant()));
        for (UUID id : due) {
            change(id, sequence -> saga.tick(sequence, clock.instant()));
        }
        List<DueProbe> dueProbes = QuarkusTransaction.requiringNew().call(() -> sequences.probesDueAt(clock.instant()));
        for (DueProbe probe : dueProbes) {
            ReadinessProbes.Answer answer = probes.ask(probe.probe());
            change(probe.sequenceId(), sequence -> saga.probed(sequence, probe.stepId(), probe.commandId(),
                    answer.answered(), answer.detail(), clock.instant()));
        }
        startQueued();
    }

    /** Starts the oldest queued sequence of every host that has none running. */
    void startQueued() {
        for (String host : QuarkusTransaction.requiringNew().call(sequences::hostsWithQueuedAndNoneRunning)) {
            try {
                MDC.put("managementHost", host);
                QuarkusTransaction.requiringNew().run(() -> lifecycle.startNextQueued(host));
            } catch (RuntimeException e) {
                LOG.warnf("could not start the queued power sequence of %s: %s", host, e.getMessage());
            } finally {
                clearMdc();
            }
        }
    }

    /** Changes one sequence in its own transaction; a failure is logged and the next tick tries again. */
    void change(UUID id, Consumer<PowerSequence> change) {
        try {
            MDC.put("sequence", id.toString());
            QuarkusTransaction.requiringNew().run(() -> sequences.lock(id).ifPresent(sequence -> {
                MDC.put("managementHost", sequence.managementHost);
                change.accept(sequence);
                lifecycle.afterChange(sequence);
            }));
        } catch (RuntimeException e) {
            LOG.warnf(e, "power sequence %s: tick failed, next tick tries again", id);
        } finally {
            clearMdc();
        }
    }

    private static void clearMdc() {
        MDC.remove("managementHost");
        MDC.remove("sequence");
        MDC.remove("node");
    }
}
