package moonshot.scheduler.service;

import moonshot.scheduler.BackupRun;

/** Fired (synchronously, in the transaction that closed it) when a run reaches a terminal state. */
public record RunFinished(BackupRun run) {
}
