package moonshot.scheduler.saga;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import moonshot.contract.MaintenanceStatus;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RunState;
import moonshot.scheduler.config.SchedulerConfig;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a maintenance ticket does next (root README, Public contract), decided from its persisted state alone. Each method
 * changes the ticket and asks {@link Effects} for the messages that go with the change; the caller holds the
 * transaction (so the messages reach the outbox with the state) and the ticket's row, and says what time it is.
 *
 * <p>Rules, with the transitions in {@link MaintenanceState}: after the FULL backup, {@code ready} (or, with
 * {@code powerOff}, one power-off sequence and {@code ready} once it finished); {@code completed} gives
 * {@code finished} (or, on a ticket that powered the host off, one power-on sequence and {@code finished} once it
 * finished). A failed backup or sequence gives {@code blocked} with the reason; {@code completed} on a blocked ticket
 * that powered the host off powers it on again. A sequence is settled only by the answer to the latest one the ticket
 * sent, while it waits for it; a repeated {@code completed} has no second effect. A deployment's ticket only keeps
 * its backup as a baseline: no status is due for it. A ticket that waits (for its backup and power-off from its
 * arrival, for its power-on from {@code completed}) past its deadline is blocked with what it waited for.
 */
@Singleton
public class MaintenanceSaga {

    private static final Logger LOG = Logger.getLogger(MaintenanceSaga.class);

    /** The messages a change of state sends (written to the outbox in the caller's transaction). */
    public interface Effects {
        void startPowerSequence(StartPowerSequence command);

        void ready(MaintenanceStatus status);

        void blocked(MaintenanceStatus status);

        void finished(MaintenanceStatus status);
    }

    private final Duration deadline;
    private final Effects effects;

    @Inject
    MaintenanceSaga(SchedulerConfig config, Effects effects) {
        this(config.deadline().ticket(), effects);
    }

    /** @param deadline how long a ticket waits for its backup and power-off, or for its power-on */
    public MaintenanceSaga(Duration deadline, Effects effects) {
        this.deadline = deadline;
        this.effects = effects;
    }

    /** A new ticket: one that waits for its FULL backup gets its deadline. */
    public void opened(MaintenanceTicket ticket, Instant now) {
        if (ticket.state == MaintenanceState.BACKING_UP) {
            ticket.deadlineAt = now.plus(deadline);
        }
    }

    /** The ticket's FULL backup could not be started (the host is busy): blocked, unless it is only a baseline. */
    public void backupRefused(MaintenanceTicket ticket, String why, Instant now) {
        ticket.reason = "the FULL backup could not start: " + why;
        if (ticket.state == MaintenanceState.BACKING_UP) {
            block(ticket, now);
        }
    }

    /**
     * The ticket's backup run ended: ready (or powering off first) when every node is backed up, blocked with the
     * tools' messages otherwise.
     *
     * @return false when the ticket no longer waits for its backup (a baseline never does)
     */
    public boolean backupFinished(MaintenanceTicket ticket, BackupRun run, Instant now) {
        if (ticket.state != MaintenanceState.BACKING_UP || !run.id.equals(ticket.backupRunId)) {
            return false;
        }
        if (run.state == RunState.SUCCEEDED && ticket.powerOff) {
            powerOff(ticket, now);
        } else if (run.state == RunState.SUCCEEDED) {
            ready(ticket, now);
        } else {
            ticket.reason = "backup run " + run.id + " ended " + run.state + ": " + run.nodes.stream()
                    .filter(n -> n.state == NodeBackupState.FAILED)
                    .map(n -> n.role + " (" + n.vmName + "): " + n.message)
                    .collect(Collectors.joining("; "));
            block(ticket, now);
        }
        return true;
    }

    /**
     * power-service finished a sequence the ticket sent: powered off, it is ready; powered on, it is finished.
     *
     * @return false when the ticket does not wait for that sequence (the answer is ignored)
     */
    public boolean powerSequenceFinished(MaintenanceTicket ticket, PowerSequenceFinished answer, Instant now) {
        if (!waitsFor(ticket, answer.sequenceId(), answer.direction())) {
            return false;
        }
        if (answer.direction() == PowerDirection.OFF) {
            ready(ticket, now);
        } else {
            finish(ticket, now);
        }
        return true;
    }

    /**
     * power-service halted a sequence the ticket sent: blocked, with the step and the reason.
     *
     * @return false when the ticket does not wait for that sequence (the answer is ignored)
     */
    public boolean powerSequenceFailed(MaintenanceTicket ticket, PowerSequenceFailed answer, Instant now) {
        if (!waitsFor(ticket, answer.sequenceId(), answer.direction())) {
            return false;
        }
        String direction = answer.direction() == PowerDirection.OFF ? "power-off" : "power-on";
        ticket.reason = "the " + direction + " sequence " + answer.sequenceId() + " halted at " + answer.step() + ": "
                + answer.reason();
        block(ticket, now);
        return true;
    }

    /**
     * The maintenance is over: finished at once, or first powered on when the ticket powered the host off.
     *
     * @return false for a repeated {@code completed} (no second effect)
     * @throws UnusableEventException when the ticket is not ready (or blocked) yet, or is a baseline
     */
    public boolean completed(MaintenanceTicket ticket, Instant now) {
        if (ticket.state == MaintenanceState.FINISHED || ticket.state == MaintenanceState.POWERING_ON) {
            LOG.infof("ticket %s of %s is already %s; a repeated completed has no second effect", ticket.ticket,
                    ticket.managementHost, ticket.state);
            return false;
        }
        if (!ticket.state.canMoveTo(MaintenanceState.FINISHED)) {
            throw new UnusableEventException("ticket " + ticket.ticket + " is " + ticket.state
                    + "; it cannot be completed before it is ready (or blocked)");
        }
        if (ticket.powerOffSequenceId != null) {
            powerOn(ticket, now);
        } else {
            finish(ticket, now);
        }
        return true;
    }

    /**
     * The clock's part: a ticket still waiting at its deadline is blocked with what it waited for.
     *
     * @return false when the ticket does not wait or its deadline is still ahead
     */
    public boolean overdue(MaintenanceTicket ticket, Instant now) {
        if (!ticket.state.isWaiting() || ticket.deadlineAt == null || now.isBefore(ticket.deadlineAt)) {
            return false;
        }
        String waitedFor = switch (ticket.state) {
            case BACKING_UP -> "its FULL backup run " + ticket.backupRunId + " did not end";
            case POWERING_OFF -> "power-service did not answer the power-off sequence " + ticket.powerOffSequenceId;
            case POWERING_ON -> "power-service did not answer the power-on sequence " + ticket.powerOnSequenceId;
            default -> throw new IllegalStateException("ticket " + ticket.ticket + " does not wait: " + ticket.state);
        };
        Instant since = ticket.state == MaintenanceState.POWERING_ON ? ticket.updatedAt : ticket.receivedAt;
        ticket.reason = waitedFor + " within " + Duration.between(since, ticket.deadlineAt) + " (deadline "
                + ticket.deadlineAt + ")";
        block(ticket, now);
        return true;
    }

    // --- the moves --------------------------------------------------------------------------------------------

    private void powerOff(MaintenanceTicket ticket, Instant now) {
        ticket.moveTo(MaintenanceState.POWERING_OFF, now);
        ticket.powerOffSequenceId = UUID.randomUUID();
        effects.startPowerSequence(new StartPowerSequence(ticket.powerOffSequenceId, ticket.managementHost,
                PowerDirection.OFF, false, requestedBy(ticket)));
        LOG.infof("ticket %s of %s: backed up; powering the host off (sequence %s)", ticket.ticket,
                ticket.managementHost, ticket.powerOffSequenceId);
    }

    private void powerOn(MaintenanceTicket ticket, Instant now) {
        ticket.moveTo(MaintenanceState.POWERING_ON, now);
        ticket.deadlineAt = now.plus(deadline);
        ticket.powerOnSequenceId = UUID.randomUUID();
        ticket.reason = null;
        effects.startPowerSequence(new StartPowerSequence(ticket.powerOnSequenceId, ticket.managementHost,
                PowerDirection.ON, false, requestedBy(ticket)));
        LOG.infof("ticket %s of %s completed: powering the host on (sequence %s)", ticket.ticket,
                ticket.managementHost, ticket.powerOnSequenceId);
    }

    private void ready(MaintenanceTicket ticket, Instant now) {
        ticket.moveTo(MaintenanceState.READY, now);
        effects.ready(status(ticket, null));
        LOG.infof("ticket %s of %s: backed up%s, ready", ticket.ticket, ticket.managementHost,
                ticket.powerOffSequenceId != null ? " and powered off" : "");
    }

    private void finish(MaintenanceTicket ticket, Instant now) {
        ticket.moveTo(MaintenanceState.FINISHED, now);
        effects.finished(status(ticket, null));
        LOG.infof("ticket %s of %s completed%s: finished", ticket.ticket, ticket.managementHost,
                ticket.powerOnSequenceId != null ? " and powered on" : "");
    }

    private void block(MaintenanceTicket ticket, Instant now) {
        ticket.moveTo(MaintenanceState.BLOCKED, now);
        effects.blocked(status(ticket, ticket.reason));
        LOG.warnf("ticket %s of %s blocked: %s", ticket.ticket, ticket.managementHost, ticket.reason);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** The latest sequence of that direction the ticket sent, while the ticket waits for it. */
    private static boolean waitsFor(MaintenanceTicket ticket, UUID sequenceId, PowerDirection direction) {
        boolean waiting = direction == PowerDirection.OFF
                ? sequenceId.equals(ticket.powerOffSequenceId) && ticket.state == MaintenanceState.POWERING_OFF
                : sequenceId.equals(ticket.powerOnSequenceId) && ticket.state == MaintenanceState.POWERING_ON;
        if (!waiting) {
            LOG.infof("ticket %s of %s is %s; the answer to power-%s sequence %s changes nothing", ticket.ticket,
                    ticket.managementHost, ticket.state, direction, sequenceId);
        }
        return waiting;
    }

    private static MaintenanceStatus status(MaintenanceTicket ticket, String reason) {
        return new MaintenanceStatus(ticket.managementHost, ticket.ticket, ticket.backupRunId, reason);
    }

    private static String requestedBy(MaintenanceTicket ticket) {
        return "maintenance ticket " + ticket.ticket + (ticket.requestedBy == null ? "" : " (" + ticket.requestedBy
                + ")");
    }
}
