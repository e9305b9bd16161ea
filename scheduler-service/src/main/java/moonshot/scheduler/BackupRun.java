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
import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One backup of a management host's nodes (ADMIN, the PAIR, or FULL), with a result per node. */
@Entity
@Table(name = "backup_run")
public class BackupRun {
    @Id
    public UUID id;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BackupScope scope;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunState state = RunState.QUEUED;
    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_kind", nullable = false)
    public Trigger trigger;
    public String reason;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /**
     * While QUEUED, by when the executor must report the backup started; while RUNNING, by when every node must have
     * its outcome. Past it the run fails (moonshot.scheduler.deadline.*); once it ended, the last deadline it had.
     */
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    /** For a pair: how far apart the two snapshots started, give or take {@link #skewPrecisionMillis}. */
    @Column(name = "skew_millis")
    public Long skewMillis;
    @Column(name = "skew_precision_millis")
    public Long skewPrecisionMillis;
    /** What witnessed the two snapshot starts. */
    @Column(name = "skew_source")
    public String skewSource;
    /**
     * For a pair: true when the skew is surely within the configured threshold, false when surely beyond it, null
     * when the evidence cannot tell (see {@link PairSkew}) or the run has no pair that both succeeded.
     */
    public Boolean consistent;
    /** When the verify job last checked this set's artifacts on the hypervisor (null: never). */
    @Column(name = "verified_at")
    public Instant verifiedAt;
    /** What that check found: true restorable, false not (see {@link #verification}), null never checked. */
    public Boolean restorable;
    /** Why the set can no longer be restored, as the check found it. */
    @Column(columnDefinition = "text")
    public String verification;
    /** The policy that fired this run, if a schedule did. */
    @Column(name = "policy_id")
    public UUID policyId;
    /** The maintenance ticket this run was taken for, if any. */
    public String ticket;
    /** A deployment baseline: retention never deletes it. */
    @Column(name = "protected_baseline", nullable = false)
    public boolean protectedBaseline;
    @Enumerated(EnumType.STRING)
    @Column(name = "retention_state", nullable = false)
    public RetentionState retentionState = RetentionState.KEPT;
    @Column(name = "retention_request")
    public UUID retentionRequest;
    @Column(name = "retention_note", columnDefinition = "text")
    public String retentionNote;
    @Version
    public long version;
    @OneToMany(mappedBy = "run", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("role")
    public List<NodeBackup> nodes = new ArrayList<>();

    public Optional<NodeBackup> node(NodeRole role) {
        return nodes.stream().filter(n -> n.role == role).findFirst();
    }

    /** Moves to {@code next}, refusing a transition the table in {@link RunState} does not allow. */
    public void moveTo(RunState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("run " + id + " cannot move from " + state + " to " + next);
        }
        if (next == RunState.RUNNING) {
            startedAt = at;
        }
        if (next.isTerminal()) {
            finishedAt = at;
        }
        state = next;
    }

    /** Once every node has an outcome, the run's state follows from them. */
    public Optional<RunState> outcome() {
        if (!nodes.stream().allMatch(n -> n.state.isTerminal())) {
            return Optional.empty();
        }
        long succeeded = nodes.stream().filter(n -> n.state == NodeBackupState.SUCCEEDED).count();
        if (succeeded == nodes.size()) {
            return Optional.of(RunState.SUCCEEDED);
        }
        return Optional.of(succeeded == 0 ? RunState.FAILED : RunState.PARTIALLY_FAILED);
    }

    /** A complete set: every node of the run succeeded (for a pair, both members from this one run). */
    public boolean isCompleteSet() {
        return state == RunState.SUCCEEDED;
    }

    /** The pair's skew, from what witnessed each snapshot's start; empty without a pair that both succeeded. */
    public Optional<PairSkew> pairSkew(Duration threshold) {
        var controller = node(NodeRole.CONTROLLER).filter(n -> n.state == NodeBackupState.SUCCEEDED)
                .flatMap(PairSkew::windowOf);
        var baremetal = node(NodeRole.BAREMETAL).filter(n -> n.state == NodeBackupState.SUCCEEDED)
                .flatMap(PairSkew::windowOf);
        if (controller.isEmpty() || baremetal.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PairSkew.of(controller.get(), baremetal.get(), threshold));
    }
}
