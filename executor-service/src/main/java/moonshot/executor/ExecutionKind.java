package moonshot.executor;

/**
 * What an execution carries out, persisted as its name (the values the {@code execution.kind} column has held since
 * V1_1). Every switch over it names each kind: a kind nobody handles does not compile, instead of running as another.
 */
public enum ExecutionKind {
    /** A StartBackup: one run's nodes on one hypervisor. */
    BACKUP("backup"),
    /** A DiscoverVms; the execution's id is the discovery id. */
    DISCOVERY("discovery"),
    /** A DeleteArtifacts; the execution's id is the request id. */
    DELETE("deletion"),
    /** A PowerNode; the execution's id is the command id. */
    POWER("power command"),
    /** A CheckHypervisor; the execution's id is the command id. */
    CHECK("hypervisor check"),
    /** A RestoreNode; the execution's id is the command id. */
    RESTORE("restore");

    private final String description;

    ExecutionKind(String description) {
        this.description = description;
    }

    /** The kind in words, for notes and logs ("deletion", "power command"). */
    public String description() {
        return description;
    }
}
