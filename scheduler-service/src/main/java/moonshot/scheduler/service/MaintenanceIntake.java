package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.contract.BackupScope;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.MaintenanceKind;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.Trigger;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import moonshot.scheduler.saga.MaintenanceSaga;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a maintenance request (from {@code moonshot.maintenance} or an operator) into a ticket with its FULL backup
 * requested, or, for {@code completed}, hands the ticket it names to {@link MaintenanceSaga}. The same ticket twice
 * has no second effect.
 */
@ApplicationScoped
public class MaintenanceIntake {

    private static final Logger LOG = Logger.getLogger(MaintenanceIntake.class);

    private final MaintenanceTicketRepository tickets;
    private final KnownHostRepository hosts;
    private final BackupRuns runs;
    private final MaintenanceSaga saga;
    private final Clock clock;

    MaintenanceIntake(MaintenanceTicketRepository tickets, KnownHostRepository hosts, BackupRuns runs,
                      MaintenanceSaga saga, Clock clock) {
        this.tickets = tickets;
        this.hosts = hosts;
        this.runs = runs;
        this.saga = saga;
        this.clock = clock;
    }

    /**
     * Handles one maintenance request of {@code type}.
     *
     * @throws UnusableEventException when the host is unknown, the type unknown, or {@code completed} names no ticket
     *                                (or one not ready yet)
     */
    @Transactional(value = Transactional.TxType.REQUIRED, dontRollbackOn = ConflictException.class)
    public MaintenanceTicket handle(String type, MaintenanceRequest request) {
        Optional<MaintenanceKind> opening = MaintenanceKind.opening(type);
        if (opening.isEmpty() && !type.equals(EventTypes.MAINTENANCE_COMPLETED)) {
            throw new UnusableEventException("unknown maintenance type " + type);
        }
        hosts.activeNamedByEvent(request.managementHost());
        return opening.isPresent() ? open(opening.get(), request) : complete(request);
    }

    private MaintenanceTicket open(MaintenanceKind kind, MaintenanceRequest request) {
        Optional<MaintenanceTicket> existing = tickets.find(request.managementHost(), request.ticket());
        if (existing.isPresent()) {
            LOG.infof("ticket %s of %s is already %s; a repeated %s has no second effect", request.ticket(),
                    request.managementHost(), existing.get().state, kind.eventType());
            return existing.get();
        }
        var ticket = new MaintenanceTicket();
        ticket.id = UUID.randomUUID();
        ticket.managementHost = request.managementHost();
        ticket.ticket = request.ticket();
        ticket.kind = kind;
        ticket.powerOff = Boolean.TRUE.equals(request.powerOff());
        ticket.requestedBy = request.requestedBy();
        ticket.receivedAt = clock.instant();
        ticket.updatedAt = ticket.receivedAt;
        ticket.state = kind.keepsBaseline() ? MaintenanceState.BASELINE : MaintenanceState.BACKING_UP;
        saga.opened(ticket, ticket.receivedAt);
        tickets.persist(ticket);
        try {
            BackupRun run = runs.request(new BackupRuns.RunRequest(request.managementHost(), BackupScope.FULL,
                    Trigger.MAINTENANCE, describe(kind, request), null, request.ticket(), kind.keepsBaseline()));
            ticket.backupRunId = run.id;
            LOG.infof("ticket %s (%s) of %s: FULL backup run %s%s", ticket.ticket, kind, ticket.managementHost, run.id,
                    kind.keepsBaseline() ? ", kept as a protected baseline" : "");
        } catch (ConflictException busy) {
            saga.backupRefused(ticket, busy.getMessage(), clock.instant());
        }
        return ticket;
    }

    private MaintenanceTicket complete(MaintenanceRequest request) {
        MaintenanceTicket ticket = tickets.findLocked(request.managementHost(), request.ticket())
                .orElseThrow(() -> new UnusableEventException("no maintenance ticket " + request.ticket() + " for "
                        + request.managementHost()));
        saga.completed(ticket, clock.instant());
        return ticket;
    }

    private static String describe(MaintenanceKind kind, MaintenanceRequest request) {
        return kind.eventType() + " ticket " + request.ticket()
                + (request.requestedBy() == null ? "" : " requested by " + request.requestedBy());
    }
}
