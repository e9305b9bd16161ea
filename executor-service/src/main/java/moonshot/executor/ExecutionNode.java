package moonshot.executor;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import moonshot.contract.NodeRole;

import java.time.Instant;
import java.util.UUID;

/** One VM of an execution, with the exact command sent for it. */
@Entity
@Table(name = "execution_node")
public class ExecutionNode {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "execution_id")
    public Execution execution;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeRole role;
    @Column(name = "vm_name", nullable = false)
    public String vmName;
    @Column(name = "vzdump_vmid")
    public Integer vzdumpVmid;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeExecutionState state = NodeExecutionState.PENDING;
    @Column(columnDefinition = "text")
    public String command;
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(columnDefinition = "text")
    public String message;
}
