package moonshot.scheduler;

/** What a restore step does, and the state the restore is in while it runs. */
public enum RestoreStepKind {
    /** One power-off sequence of the whole host (power-service: BAREMETAL, CONTROLLER, ADMIN). */
    POWER_OFF(RestoreState.POWERING_OFF),
    /** The executor removes one node's files and restores it from its artifact, then verifies name, id and MACs. */
    RESTORE_NODE(RestoreState.RESTORING),
    /** One power-on sequence (power-service: ADMIN, CONTROLLER until Deployed, BAREMETAL until Deployed). */
    POWER_ON(RestoreState.POWERING_ON);

    private final RestoreState runningState;

    RestoreStepKind(RestoreState runningState) {
        this.runningState = runningState;
    }

    public RestoreState runningState() {
        return runningState;
    }
}
