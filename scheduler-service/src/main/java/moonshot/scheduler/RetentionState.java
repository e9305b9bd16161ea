package moonshot.scheduler;

/** What retention has done with a run's artifacts. */
public enum RetentionState {
    /** The artifacts are kept (or the run has none). */
    KEPT,
    /** Deletion was sent to the executor; waiting for its answer. */
    DELETING,
    /** The executor removed every artifact of the run from the hypervisor. */
    DELETED,
    /** The executor could not remove some artifacts; the note says which and why. */
    DELETE_FAILED
}
