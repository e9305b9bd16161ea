package moonshot.power;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerAction;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a power sequence: what it targets, where it is ({@link StepState}), the command in flight and when it
 * was sent, the deadline it must be confirmed by, and what was seen.
 */
@Entity
@Table(name = "power_sequence_step")
public class PowerSequenceStep {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "sequence_id")
    public PowerSequence sequence;
    /** 1-based order within the sequence. */
    @Column(nullable = false)
    public int position;
    /** ADMIN, CONTROLLER, BAREMETAL or HYPERVISOR. */
    @Column(nullable = false)
    public String target;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepKind kind;
    /** The VM name (the hypervisor's name for a HYPERVISOR step), taken from inventory when the sequence was made. */
    @Column(name = "vm_name", nullable = false)
    public String vmName;
    @Column(name = "readiness_probe")
    public String readinessProbe;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StepState state = StepState.PENDING;
    /** The power action of the command in flight (or last sent). */
    @Enumerated(EnumType.STRING)
    public PowerAction action;
    /** The id of that PowerNode command; the executor's answer carries it. */
    @Column(name = "command_id")
    public UUID commandId;
    @Column(name = "started_at")
    public Instant startedAt;
    /** When the power command in flight was sent (for a HYPERVISOR step: when its power was requested). */
    @Column(name = "commanded_at")
    public Instant commandedAt;
    /** When the executor reported the node's power state for the command in flight. */
    @Column(name = "observed_at")
    public Instant observedAt;
    @Column(name = "confirmed_at")
    public Instant confirmedAt;
    /** The step fails (or a graceful shutdown escalates) when it is not confirmed by then. */
    public Instant deadline;
    /** The CheckHypervisor in flight, if any. */
    @Column(name = "check_id")
    public UUID checkId;
    @Column(name = "check_sent_at")
    public Instant checkSentAt;
    /** When to check the hypervisor or probe the node next. */
    @Column(name = "next_check_at")
    public Instant nextCheckAt;
    @Column(nullable = false)
    public int checks;
    @Column(columnDefinition = "text")
    public String message;

    public NodeRole role() {
        return kind.isHypervisor() ? null : NodeRole.valueOf(target);
    }

    /** Moves to {@code next}, refusing a transition the table in {@link StepState} does not allow. */
    public void moveTo(StepState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("step " + position + " (" + target + ") of power sequence "
                    + sequence.id + " cannot move from " + state + " to " + next);
        }
        state = next;
    }
}
