package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import moonshot.scheduler.saga.MaintenanceSaga;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Maintenance tickets (root README, Public contract), the entry point for what concerns them: a request goes to
 * {@link MaintenanceIntake}; the end of a ticket's backup and power-service's answers go to {@link MaintenanceSaga},
 * under the ticket's row, with the time; and the tickets are read back for the API.
 */
@ApplicationScoped
public class MaintenanceTickets {

    private final MaintenanceTicketRepository tickets;
    private final MaintenanceIntake intake;
    private final MaintenanceSaga saga;
    private final Clock clock;

    MaintenanceTickets(MaintenanceTicketRepository tickets, MaintenanceIntake intake, MaintenanceSaga saga,
                       Clock clock) {
        this.tickets = tickets;
        this.intake = intake;
        this.saga = saga;
        this.clock = clock;
    }

    /**
     * Handles one maintenance request of {@code type}.
     *
     * @throws UnusableEventException when the host is unknown, the type unknown, or {@code completed} names no ticket
     */
    public MaintenanceTicket handle(String type, MaintenanceRequest request) {
        return intake.handle(type, request);
    }

    /** A run ended (in the transaction that closed it): the ticket that waits for it goes on. */
    void onRunFinished(@Observes RunFinished finished) {
        tickets.byRunLocked(finished.run().id).ifPresent(ticket ->
                saga.backupFinished(ticket, finished.run(), clock.instant()));
    }

    /**
     * power-service's answer to a sequence a ticket sent.
     *
     * @return false when no ticket sent {@code sequenceId} (it may be a restore's)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFinished(PowerSequenceFinished answer) {
        return apply(answer.sequenceId(), ticket -> saga.powerSequenceFinished(ticket, answer, clock.instant()));
    }

    /** @return false when no ticket sent {@code sequenceId} (it may be a restore's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFailed(PowerSequenceFailed answer) {
        return apply(answer.sequenceId(), ticket -> saga.powerSequenceFailed(ticket, answer, clock.instant()));
    }

    @Transactional
    public List<MaintenanceTicket> recent(String managementHost) {
        return tickets.recent(managementHost);
    }

    @Transactional
    public MaintenanceTicket get(UUID id) {
        return tickets.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no maintenance ticket " + id));
    }

    /** @return whether a ticket sent {@code sequenceId} (whether or not it still waited for the answer) */
    private boolean apply(UUID sequenceId, Consumer<MaintenanceTicket> change) {
        Optional<MaintenanceTicket> found = tickets.byPowerSequenceLocked(sequenceId);
        found.ifPresent(change);
        return found.isPresent();
    }
}
