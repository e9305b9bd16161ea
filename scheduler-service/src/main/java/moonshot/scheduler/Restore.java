package moonshot.scheduler;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import moonshot.contract.NodeRole;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A restore saga: one versioned state row and its ordered steps. Steps run one at a time; each records the id of
 * the command it sent, so after a restart the saga only waits for that answer and never sends the command again.
 */
@Entity
@Table(name = "restore")
public class Restore {
    @Id
    public UUID id;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    /** What the operator said failed. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "failed_nodes", nullable = false)
    public List<NodeRole> failedNodes;
    /** What the restore rules (RestorePlanner) restore for it: ADMIN alone, the pair, or all three. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "restored_nodes", nullable = false)
    public List<NodeRole> restoredNodes;
    @Column(name = "include_hypervisor", nullable = false)
    public boolean includeHypervisor;
    @Column(name = "requested_by")
    public String requestedBy;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RestoreState state;
    /** The number of the step that failed the restore (while FAILED or ABANDONED). */
    @Column(name = "failed_step")
    public Integer failedStep;
    @Column(columnDefinition = "text")
    public String reason;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Version
    public long version;
    @OneToMany(mappedBy = "restore", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("number")
    public List<RestoreStep> steps = new ArrayList<>();

    /** Moves to {@code next}, refusing a transition the table in {@link RestoreState} does not allow. */
    public void moveTo(RestoreState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("restore " + id + " cannot move from " + state + " to " + next);
        }
        state = next;
        updatedAt = at;
        finishedAt = state.isOpen() ? null : at;
    }

    /** The first step not yet succeeded: the one in flight, the failed one, or the next to send. */
    public Optional<RestoreStep> currentStep() {
        return steps.stream().filter(s -> s.state != RestoreStepState.SUCCEEDED).findFirst();
    }
}
