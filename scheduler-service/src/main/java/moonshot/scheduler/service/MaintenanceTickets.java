package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.BackupScope;
import moonshot.contract.CloudEvent;
import moonshot.contract.EventTypes;
import moonshot.contract.MaintenanceRequest;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.Topics;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.Outbox;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RunState;
import moonshot.scheduler.Trigger;
import moonshot.scheduler.repository.KnownHostRepository;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Maintenance from other systems or operators (ARCHITECTURE.md §4.1): scheduled maintenance, hot-fixes and
 * upgrades get a FULL backup first, then {@code ready} (or {@code blocked} with the reason) on
 * {@code moonshot.maintenance.status}; {@code completed} gives {@code finished}; a successful deployment gets a FULL
 * backup kept as a protected baseline. Power handling around maintenance comes with power sequences.
 */
@ApplicationScoped
public class MaintenanceTickets {

    private static final Logger LOG = Logger.getLogger(MaintenanceTickets.class);
    static final String SOURCE = "/scheduler-service";

    private final MaintenanceTicketRepository tickets;
    private final KnownHostRepository hosts;
    private final BackupRuns runs;
    private final Outbox outbox;
    private final Clock clock;

    MaintenanceTickets(MaintenanceTicketRepository tickets, KnownHostRepository hosts, BackupRuns runs, Outbox outbox,
                       Clock clock) {
        this.tickets = tickets;
        this.hosts = hosts;
        this.runs = runs;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The event types this service accepts, and the ticket kind each becomes. */
    public static Optional<String> kindOf(String type) {
        return Optional.ofNullable(switch (type) {
            case EventTypes.MAINTENANCE_SCHEDULED -> "SCHEDULED";
            case EventTypes.MAINTENANCE_HOTFIX -> "HOTFIX";
            case EventTypes.MAINTENANCE_UPGRADE -> "UPGRADE";
            case EventTypes.DEPLOYMENT_SUCCEEDED -> "DEPLOYMENT";
            case EventTypes.MAINTENANCE_COMPLETED -> "COMPLETED";
            default -> null;
        });
    }

    /**
     * Handles one maintenance request of {@code type}.
     *
     * @throws UnusableEventException when the host is unknown, the type unknown, or {@code completed} names no ticket
     */
    @Transactional(value = Transactional.TxType.REQUIRED, dontRollbackOn = ConflictException.class)
    public MaintenanceTicket handle(String type, MaintenanceRequest request) {
        String kind = kindOf(type).orElseThrow(() -> new UnusableEventException("unknown maintenance type " + type));
        if (hosts.findActive(request.managementHost()).isEmpty()) {
            throw new UnusableEventException("unknown management host '" + request.managementHost() + "'");
        }
        if (kind.equals("COMPLETED")) {
            return complete(request);
        }
        Optional<MaintenanceTicket> existing = tickets.find(request.managementHost(), request.ticket());
        if (existing.isPresent()) {
            LOG.infof("ticket %s of %s is already %s; a repeated %s has no second effect", request.ticket(),
                    request.managementHost(), existing.get().state, type);
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
        boolean baseline = kind.equals("DEPLOYMENT");
        ticket.state = baseline ? MaintenanceState.BASELINE : MaintenanceState.BACKING_UP;
        tickets.persist(ticket);
        try {
            BackupRun run = runs.request(new BackupRuns.RunRequest(request.managementHost(), BackupScope.FULL,
                    Trigger.MAINTENANCE, describe(type, request), null, request.ticket(), baseline));
            ticket.backupRunId = run.id;
            LOG.infof("ticket %s (%s) of %s: FULL backup run %s%s", ticket.ticket, kind, ticket.managementHost, run.id,
                    baseline ? ", kept as a protected baseline" : "");
        } catch (ConflictException busy) {
            ticket.reason = "the FULL backup could not start: " + busy.getMessage();
            if (!baseline) {
                block(ticket, null);
            }
        }
        return ticket;
    }

    private MaintenanceTicket complete(MaintenanceRequest request) {
        MaintenanceTicket ticket = tickets.find(request.managementHost(), request.ticket())
                .orElseThrow(() -> new UnusableEventException("no maintenance ticket " + request.ticket() + " for "
                        + request.managementHost()));
        if (ticket.state == MaintenanceState.FINISHED) {
            return ticket;
        }
        if (!ticket.state.canMoveTo(MaintenanceState.FINISHED)) {
            throw new UnusableEventException("ticket " + ticket.ticket + " is " + ticket.state
                    + "; it cannot be completed before its backup has ended");
        }
        ticket.moveTo(MaintenanceState.FINISHED, clock.instant());
        publish(EventTypes.MAINTENANCE_FINISHED, ticket);
        LOG.infof("ticket %s of %s completed: finished", ticket.ticket, ticket.managementHost);
        return ticket;
    }

    /** The ticket's backup ended: ready when every node is backed up, blocked with the tools' messages otherwise. */
    void onRunFinished(@Observes RunFinished finished) {
        BackupRun run = finished.run();
        tickets.byRun(run.id).filter(t -> t.state == MaintenanceState.BACKING_UP).ifPresent(ticket -> {
            if (run.state == RunState.SUCCEEDED) {
                ticket.moveTo(MaintenanceState.READY, clock.instant());
                publish(EventTypes.MAINTENANCE_READY, ticket);
                LOG.infof("ticket %s of %s: backed up, ready", ticket.ticket, ticket.managementHost);
            } else {
                ticket.reason = "backup run " + run.id + " ended " + run.state + ": " + run.nodes.stream()
                        .filter(n -> n.state == NodeBackupState.FAILED)
                        .map(n -> n.role + " (" + n.vmName + "): " + n.message)
                        .collect(Collectors.joining("; "));
                block(ticket, run.id);
            }
        });
    }

    private void block(MaintenanceTicket ticket, UUID runId) {
        ticket.moveTo(MaintenanceState.BLOCKED, clock.instant());
        publish(EventTypes.MAINTENANCE_BLOCKED, ticket);
        LOG.warnf("ticket %s of %s blocked: %s", ticket.ticket, ticket.managementHost, ticket.reason);
    }

    private void publish(String type, MaintenanceTicket ticket) {
        var status = new MaintenanceStatus(ticket.managementHost, ticket.ticket, ticket.backupRunId,
                type.equals(EventTypes.MAINTENANCE_BLOCKED) ? ticket.reason : null);
        outbox.send(Topics.MAINTENANCE_STATUS, ticket.managementHost,
                CloudEvent.of(SOURCE, type, ticket.ticket, status, clock.instant()));
    }

    private static String describe(String type, MaintenanceRequest request) {
        return type + " ticket " + request.ticket()
                + (request.requestedBy() == null ? "" : " requested by " + request.requestedBy());
    }

    @Transactional
    public List<MaintenanceTicket> recent(String managementHost) {
        return tickets.recent(managementHost);
    }

    @Transactional
    public MaintenanceTicket get(UUID id) {
        return tickets.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no maintenance ticket " + id));
    }
}
