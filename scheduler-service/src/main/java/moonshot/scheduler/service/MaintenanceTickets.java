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
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.Topics;
import moonshot.contract.UnusableEventException;
import moonshot.messaging.Outbox;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RunState;
import moonshot.scheduler.Trigger;
import moonshot.scheduler.messaging.PowerCommands;
import moonshot.scheduler.repository.KnownHostRepository;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Maintenance from other systems or operators (ARCHITECTURE.md §4.1): scheduled maintenance, hot-fixes and
 * upgrades get a FULL backup first, then {@code ready} (or {@code blocked} with the reason) on
 * {@code moonshot.maintenance.status}; {@code completed} gives {@code finished}; a successful deployment gets a FULL
 * backup kept as a protected baseline. With {@code powerOff}, the host is powered off (one power-off sequence, by
 * power-service) after the backup and {@code ready} is published only once the sequence finished; {@code completed}
 * then powers it on again (with the Deployed waits) before {@code finished}. A failed sequence gives {@code blocked}
 * with the step and the reason; {@code completed} on such a ticket powers the host on again.
 */
@ApplicationScoped
public class MaintenanceTickets {

    private static final Logger LOG = Logger.getLogger(MaintenanceTickets.class);
    static final String SOURCE = "/scheduler-service";

    private final MaintenanceTicketRepository tickets;
    private final KnownHostRepository hosts;
    private final BackupRuns runs;
    private final PowerCommands power;
    private final Outbox outbox;
    private final Clock clock;

    MaintenanceTickets(MaintenanceTicketRepository tickets, KnownHostRepository hosts, BackupRuns runs,
                       PowerCommands power, Outbox outbox, Clock clock) {
        this.tickets = tickets;
        this.hosts = hosts;
        this.runs = runs;
        this.power = power;
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
        MaintenanceTicket ticket = tickets.findLocked(request.managementHost(), request.ticket())
                .orElseThrow(() -> new UnusableEventException("no maintenance ticket " + request.ticket() + " for "
                        + request.managementHost()));
        if (ticket.state == MaintenanceState.FINISHED || ticket.state == MaintenanceState.POWERING_ON) {
            LOG.infof("ticket %s of %s is already %s; a repeated completed has no second effect", ticket.ticket,
                    ticket.managementHost, ticket.state);
            return ticket;
        }
        if (!ticket.state.canMoveTo(MaintenanceState.FINISHED)) {
            throw new UnusableEventException("ticket " + ticket.ticket + " is " + ticket.state
                    + "; it cannot be completed before it is ready (or blocked)");
        }
        if (ticket.powerOffSequenceId != null) {
            powerOn(ticket);
            return ticket;
        }
        finish(ticket);
        return ticket;
    }

    /** The ticket's backup ended: ready when every node is backed up, blocked with the tools' messages otherwise. */
    void onRunFinished(@Observes RunFinished finished) {
        BackupRun run = finished.run();
        tickets.byRun(run.id).filter(t -> t.state == MaintenanceState.BACKING_UP).ifPresent(ticket -> {
            if (run.state == RunState.SUCCEEDED && ticket.powerOff) {
                powerOff(ticket);
            } else if (run.state == RunState.SUCCEEDED) {
                ready(ticket);
            } else {
                ticket.reason = "backup run " + run.id + " ended " + run.state + ": " + run.nodes.stream()
                        .filter(n -> n.state == NodeBackupState.FAILED)
                        .map(n -> n.role + " (" + n.vmName + "): " + n.message)
                        .collect(Collectors.joining("; "));
                block(ticket, run.id);
            }
        });
    }

    /**
     * power-service's answer to a sequence a ticket sent.
     *
     * @return false when no ticket sent {@code sequenceId} (it may be a restore's)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFinished(PowerSequenceFinished answer) {
        return answer(answer.sequenceId(), answer.direction(), ticket -> {
            if (answer.direction() == PowerDirection.OFF) {
                ready(ticket);
            } else {
                finish(ticket);
            }
        });
    }

    /** @return false when no ticket sent {@code sequenceId} (it may be a restore's) */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean powerSequenceFailed(PowerSequenceFailed answer) {
        return answer(answer.sequenceId(), answer.direction(), ticket -> {
            String direction = answer.direction() == PowerDirection.OFF ? "power-off" : "power-on";
            ticket.reason = "the " + direction + " sequence " + answer.sequenceId() + " halted at " + answer.step()
                    + ": " + answer.reason();
            block(ticket, ticket.backupRunId);
        });
    }

    private boolean answer(UUID sequenceId, PowerDirection direction, Consumer<MaintenanceTicket> apply) {
        Optional<MaintenanceTicket> found = tickets.byPowerSequenceLocked(sequenceId);
        if (found.isEmpty()) {
            return false;
        }
        MaintenanceTicket ticket = found.get();
        boolean waiting = direction == PowerDirection.OFF
                ? sequenceId.equals(ticket.powerOffSequenceId) && ticket.state == MaintenanceState.POWERING_OFF
                : sequenceId.equals(ticket.powerOnSequenceId) && ticket.state == MaintenanceState.POWERING_ON;
        if (!waiting) {
            LOG.infof("ticket %s of %s is %s; the answer to power-%s sequence %s changes nothing", ticket.ticket,
                    ticket.managementHost, ticket.state, direction, sequenceId);
            return true;
        }
        apply.accept(ticket);
        return true;
    }

    private void powerOff(MaintenanceTicket ticket) {
        ticket.moveTo(MaintenanceState.POWERING_OFF, clock.instant());
        ticket.powerOffSequenceId = UUID.randomUUID();
        power.startPowerSequence(new StartPowerSequence(ticket.powerOffSequenceId, ticket.managementHost,
                PowerDirection.OFF, false, requestedBy(ticket)));
        LOG.infof("ticket %s of %s: backed up; powering the host off (sequence %s)", ticket.ticket,
                ticket.managementHost, ticket.powerOffSequenceId);
    }

    private void powerOn(MaintenanceTicket ticket) {
        ticket.moveTo(MaintenanceState.POWERING_ON, clock.instant());
        ticket.powerOnSequenceId = UUID.randomUUID();
        ticket.reason = null;
        power.startPowerSequence(new StartPowerSequence(ticket.powerOnSequenceId, ticket.managementHost,
                PowerDirection.ON, false, requestedBy(ticket)));
        LOG.infof("ticket %s of %s completed: powering the host on (sequence %s)", ticket.ticket,
                ticket.managementHost, ticket.powerOnSequenceId);
    }

    private void ready(MaintenanceTicket ticket) {
        ticket.moveTo(MaintenanceState.READY, clock.instant());
        publish(EventTypes.MAINTENANCE_READY, ticket);
        LOG.infof("ticket %s of %s: backed up%s, ready", ticket.ticket, ticket.managementHost,
                ticket.powerOffSequenceId != null ? " and powered off" : "");
    }

    private void finish(MaintenanceTicket ticket) {
        ticket.moveTo(MaintenanceState.FINISHED, clock.instant());
        publish(EventTypes.MAINTENANCE_FINISHED, ticket);
        LOG.infof("ticket %s of %s completed%s: finished", ticket.ticket, ticket.managementHost,
                ticket.powerOnSequenceId != null ? " and powered on" : "");
    }

    private static String requestedBy(MaintenanceTicket ticket) {
        return "maintenance ticket " + ticket.ticket + (ticket.requestedBy == null ? "" : " (" + ticket.requestedBy
                + ")");
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
