package moonshot.contract;

/** CloudEvents {@code type} values: commands are imperative, events past tense. */
public final class EventTypes {
    /** Every type the executor sends or takes starts so; a consumer of a shared topic passes over those not its own. */
    public static final String EXECUTOR_PREFIX = "moonshot.executor.";
    /** Every type power-service sends or takes starts so. */
    public static final String POWER_PREFIX = "moonshot.power.";

    public static final String MANAGEMENT_HOST_CHANGED = "moonshot.inventory.ManagementHostChanged";
    public static final String START_BACKUP = "moonshot.executor.StartBackup";
    public static final String NODE_BACKUP_STARTED = "moonshot.executor.NodeBackupStarted";
    public static final String NODE_BACKUP_SUCCEEDED = "moonshot.executor.NodeBackupSucceeded";
    public static final String NODE_BACKUP_FAILED = "moonshot.executor.NodeBackupFailed";
    public static final String DELETE_ARTIFACTS = "moonshot.executor.DeleteArtifacts";
    public static final String ARTIFACTS_DELETED = "moonshot.executor.ArtifactsDeleted";
    public static final String DISCOVER_VMS = "moonshot.executor.DiscoverVms";
    public static final String VMS_DISCOVERED = "moonshot.executor.VmsDiscovered";
    public static final String DISCOVERY_FAILED = "moonshot.executor.DiscoveryFailed";

    public static final String POWER_NODE = "moonshot.executor.PowerNode";
    public static final String NODE_POWER_OBSERVED = "moonshot.executor.NodePowerObserved";
    public static final String NODE_POWER_FAILED = "moonshot.executor.NodePowerFailed";
    public static final String CHECK_HYPERVISOR = "moonshot.executor.CheckHypervisor";
    public static final String HYPERVISOR_CHECKED = "moonshot.executor.HypervisorChecked";
    public static final String RESTORE_NODE = "moonshot.executor.RestoreNode";
    public static final String NODE_RESTORED = "moonshot.executor.NodeRestored";
    public static final String NODE_RESTORE_FAILED = "moonshot.executor.NodeRestoreFailed";

    /** On {@code power.commands} and {@code power.events}. */
    public static final String START_POWER_SEQUENCE = "moonshot.power.StartPowerSequence";
    public static final String POWER_SEQUENCE_FINISHED = "moonshot.power.PowerSequenceFinished";
    public static final String POWER_SEQUENCE_FAILED = "moonshot.power.PowerSequenceFailed";
    /** Out of band, on {@code moonshot.hypervisor-power}: for whatever switches the hypervisor itself. */
    public static final String POWER_HYPERVISOR = "moonshot.hypervisor.power";

    /** Public, on {@code moonshot.node-status} (root README, Public contract). */
    public static final String NODE_STATUS = "moonshot.node.status";

    /** Public, on {@code moonshot.maintenance} (root README, Public contract). */
    public static final String MAINTENANCE_SCHEDULED = "moonshot.maintenance.scheduled";
    public static final String MAINTENANCE_HOTFIX = "moonshot.maintenance.hotfix";
    public static final String MAINTENANCE_UPGRADE = "moonshot.maintenance.upgrade";
    public static final String MAINTENANCE_COMPLETED = "moonshot.maintenance.completed";
    public static final String DEPLOYMENT_SUCCEEDED = "moonshot.deployment.succeeded";

    /** Public, on {@code moonshot.maintenance.status} (root README, Public contract). */
    public static final String MAINTENANCE_READY = "moonshot.maintenance.ready";
    public static final String MAINTENANCE_BLOCKED = "moonshot.maintenance.blocked";
    public static final String MAINTENANCE_FINISHED = "moonshot.maintenance.finished";

    private EventTypes() {
    }
}
