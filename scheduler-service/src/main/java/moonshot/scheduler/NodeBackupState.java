package moonshot.scheduler;

/** One node's part of a run. */
public enum NodeBackupState {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
