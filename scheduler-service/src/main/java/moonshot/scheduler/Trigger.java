package moonshot.scheduler;

/** What asked for a run. */
public enum Trigger {
    OPERATOR, SCHEDULE, MAINTENANCE
}
