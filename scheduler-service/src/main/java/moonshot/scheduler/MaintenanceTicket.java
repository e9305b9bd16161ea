package moonshot.scheduler;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** A change ticket from another system (or an operator) and the backup taken before it. */
@Entity
@Table(name = "maintenance_ticket")
public class MaintenanceTicket {
    @Id
    public UUID id;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    @Column(nullable = false)
    public String ticket;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MaintenanceKind kind;
    @Column(name = "power_off", nullable = false)
    public boolean powerOff;
    @Column(name = "requested_by")
    public String requestedBy;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MaintenanceState state;
    @Column(name = "backup_run_id")
    public UUID backupRunId;
    @Column(columnDefinition = "text")
    public String reason;
    /** The power-off sequence this ticket sent (set once sent: the host, or part of it, may be off since). */
    @Column(name = "power_off_sequence_id")
    public UUID powerOffSequenceId;
    /** The latest power-on sequence this ticket sent. */
    @Column(name = "power_on_sequence_id")
    public UUID powerOnSequenceId;
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    /**
     * While the ticket waits (see {@link MaintenanceState#isWaiting()}), by when the wait must be over; past it the
     * ticket is blocked. Set when it arrives and again when {@code completed} powers the host on.
     */
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    @Version
    public long version;

    /** The ticket powered the host (or part of it, when the sequence failed half-way) off and has not powered it on. */
    public boolean holdsPower() {
        return powerOffSequenceId != null && state != MaintenanceState.FINISHED;
    }

    public void moveTo(MaintenanceState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("ticket " + ticket + " cannot move from " + state + " to " + next);
        }
        state = next;
        updatedAt = at;
    }
}
