package moonshot.scheduler;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import moonshot.contract.NodeRole;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One step of a restore, what it was planned from, and what happened to it. */
@Entity
@Table(name = "restore_step")
public class RestoreStep {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "restore_id")
    public Restore restore;
    /** 1, 2, …: the order the steps run in. */
    @Column(name = "step_number", nullable = false)
    public int number;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RestoreStepKind kind;
    @Column(columnDefinition = "text", nullable = false)
    public String description;
    // --- RESTORE_NODE: the node and the artifact it is restored from
    @Enumerated(EnumType.STRING)
    public NodeRole role;
    @Column(name = "vm_name")
    public String vmName;
    @Column(name = "backup_run_id")
    public UUID backupRunId;
    @Column(name = "artifact_path")
    public String artifactPath;
    @Column(name = "taken_at")
    public Instant takenAt;
    @Column(name = "vzdump_vmid")
    public Integer vzdumpVmid;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "expected_macs")
    public List<String> expectedMacs;
    // --- progress
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RestoreStepState state = RestoreStepState.PENDING;
    /** The command sent for this step (the power sequence id for power steps); a new one on each retry. */
    @Column(name = "command_id")
    public UUID commandId;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "sent_at")
    public Instant sentAt;
    /** While SENT, by when the answer must come; past it the step and the restore fail. Set on each send. */
    @Column(name = "deadline_at")
    public Instant deadlineAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(columnDefinition = "text")
    public String reason;
    /** What the executor reports for the restored VM: its id on the hypervisor now and its MACs. */
    @Column(name = "restored_vm_id")
    public String restoredVmId;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "restored_macs")
    public List<String> restoredMacs;

    public void moveTo(RestoreStepState next, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("step " + number + " of restore " + restore.id + " cannot move from "
                    + state + " to " + next);
        }
        state = next;
        if (next == RestoreStepState.SENT) {
            sentAt = at;
            finishedAt = null;
            reason = null;
        } else {
            finishedAt = at;
        }
    }

    /** "step 2 (restore CONTROLLER Ctrl)", for reasons and logs. */
    public String label() {
        return "step " + number + " (" + switch (kind) {
            case POWER_OFF -> "power off";
            case RESTORE_NODE -> "restore " + role + " " + vmName;
            case POWER_ON -> "power on";
        } + ")";
    }
}
