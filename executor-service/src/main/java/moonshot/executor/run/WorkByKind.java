package moonshot.executor.run;

import moonshot.executor.ExecutionKind;

/**
 * Which work carries out an execution of each kind. The switch names every kind and has no default: a new kind does
 * not compile until it has its own work, so no execution is ever carried out as another kind.
 */
record WorkByKind(RunExecution.Work<?, ?> backup, RunExecution.Work<?, ?> discovery,
                  RunExecution.Work<?, ?> deletion, RunExecution.Work<?, ?> power, RunExecution.Work<?, ?> check,
                  RunExecution.Work<?, ?> restore) {

    RunExecution.Work<?, ?> of(ExecutionKind kind) {
        return switch (kind) {
            case BACKUP -> backup;
            case DISCOVERY -> discovery;
            case DELETE -> deletion;
            case POWER -> power;
            case CHECK -> check;
            case RESTORE -> restore;
        };
    }
}
