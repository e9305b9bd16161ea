package moonshot.power;

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
import moonshot.contract.PowerDirection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A management host powered off or on in the one safe order: one versioned state row and its ordered steps. */
@Entity
@Table(name = "power_sequence")
public class PowerSequence {
    @Id
    public UUID id;
    @Column(name = "management_host", nullable = false)
    public String managementHost;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PowerDirection direction;
    @Column(name = "include_hypervisor", nullable = false)
    public boolean includeHypervisor;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SequenceState state = SequenceState.QUEUED;
    /** Who asked: an operator, a saga or a ticket. */
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** The step the sequence halted at (its target), when FAILED. */
    @Column(name = "failed_step")
    public String failedStep;
    @Column(columnDefinition = "text")
    public String reason;
    @Version
    public long version;
    @OneToMany(mappedBy = "sequence", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("position")
    public List<PowerSequenceStep> steps = new ArrayList<>();

    /** The step the sequence is on: the first one not confirmed. Empty once every step is confirmed. */
    public Optional<PowerSequenceStep> currentStep() {
        return steps.stream().filter(s -> s.state != StepState.CONFIRMED).findFirst();
    }

    public Optional<PowerSequenceStep> step(UUID stepId) {
        return steps.stream().filter(s -> s.id.equals(stepId)).findFirst();
    }

    public Optional<PowerSequenceStep> nextAfter(PowerSequenceStep step) {
        return steps.stream().filter(s -> s.position == step.position + 1).findFirst();
    }

    /** Moves to {@code next}, refusing a transition the table in {@link SequenceState} does not allow. */
    public void moveTo(SequenceState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("power sequence " + id + " cannot move from " + state + " to " + next);
        }
        if (next == SequenceState.RUNNING) {
            startedAt = at;
        }
        if (next.isTerminal()) {
            finishedAt = at;
        }
        state = next;
    }
}
