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

import java.time.Instant;
import java.util.UUID;

/** One node's result within a run: its artifact when it succeeded, the tool's message when it failed. */
@Entity
@Table(name = "node_backup")
public class NodeBackup {
    @Id
    public UUID id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "run_id")
    public BackupRun run;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeRole role;
    @Column(name = "vm_name", nullable = false)
    public String vmName;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeBackupState state = NodeBackupState.PENDING;
    @Column(name = "artifact_path")
    public String artifactPath;
    @Column(name = "size_bytes")
    public Long sizeBytes;
    public String sha256;
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    /** The node's snapshot began no earlier than this and no later than {@link #snapshotNotAfter}. */
    @Column(name = "snapshot_not_before")
    public Instant snapshotNotBefore;
    @Column(name = "snapshot_not_after")
    public Instant snapshotNotAfter;
    /** What on the hypervisor witnessed it (null: nothing did). */
    @Column(name = "snapshot_witness")
    public String snapshotWitness;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(columnDefinition = "text")
    public String message;
    /** MACs captured at backup time, for the restore to verify against. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    public java.util.List<String> macs;
    /** The VM's configuration (.vmx or domain XML) captured at backup time. */
    @Column(name = "vm_config", columnDefinition = "text")
    public String vmConfig;
    /** When retention removed this artifact from the hypervisor. */
    @Column(name = "deleted_at")
    public Instant deletedAt;
}
