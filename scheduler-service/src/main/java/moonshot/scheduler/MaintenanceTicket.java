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
    /** SCHEDULED, HOTFIX, UPGRADE or DEPLOYMENT. */
    @Column(nullable = false)
    public String kind;
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
    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Version
    public long version;

    public void moveTo(MaintenanceState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("ticket " + ticket + " cannot move from " + state + " to " + next);
        }
        state = next;
        updatedAt = at;
    }
}
