package moonshot.executor;

public enum NodeExecutionState {
    PENDING, DISPATCHED, SUCCEEDED, FAILED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
