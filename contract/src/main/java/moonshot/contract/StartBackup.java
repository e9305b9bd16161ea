package moonshot.contract;

import java.util.List;
import java.util.UUID;

/** Command to the executor: back these nodes of one management host up, as one run. */
public record StartBackup(UUID runId, String managementHost, BackupScope scope, List<BackupTarget> nodes) {
}
