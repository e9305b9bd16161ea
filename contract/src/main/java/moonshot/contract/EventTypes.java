package moonshot.contract;

/** CloudEvents {@code type} values: commands are imperative, events past tense. */
public final class EventTypes {
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

    /** Public, on {@code moonshot.maintenance} (ARCHITECTURE.md §4.1). */
    public static final String MAINTENANCE_SCHEDULED = "moonshot.maintenance.scheduled";
    public static final String MAINTENANCE_HOTFIX = "moonshot.maintenance.hotfix";
    public static final String MAINTENANCE_UPGRADE = "moonshot.maintenance.upgrade";
    public static final String MAINTENANCE_COMPLETED = "moonshot.maintenance.completed";
    public static final String DEPLOYMENT_SUCCEEDED = "moonshot.deployment.succeeded";

    /** Public, on {@code moonshot.maintenance.status} (ARCHITECTURE.md §4.3). */
    public static final String MAINTENANCE_READY = "moonshot.maintenance.ready";
    public static final String MAINTENANCE_BLOCKED = "moonshot.maintenance.blocked";
    public static final String MAINTENANCE_FINISHED = "moonshot.maintenance.finished";

    private EventTypes() {
    }
}
