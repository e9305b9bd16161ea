package moonshot.contract;

/** CloudEvents {@code type} values: commands are imperative, events past tense. */
public final class EventTypes {
    public static final String MANAGEMENT_HOST_CHANGED = "moonshot.inventory.ManagementHostChanged";
    public static final String START_BACKUP = "moonshot.executor.StartBackup";
    public static final String NODE_BACKUP_STARTED = "moonshot.executor.NodeBackupStarted";
    public static final String NODE_BACKUP_SUCCEEDED = "moonshot.executor.NodeBackupSucceeded";
    public static final String NODE_BACKUP_FAILED = "moonshot.executor.NodeBackupFailed";

    private EventTypes() {
    }
}
