package moonshot.executor.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionState;
import moonshot.executor.config.ExecutorConfig;
import moonshot.executor.repository.ExecutionRepository;
import org.jboss.logging.Logger;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Every write of what came of a RUNNING execution goes through here, in a transaction of its own that locks the
 * execution's row first: it is written only while the execution is still RUNNING under this instance. A worker whose
 * lease ran out (its heartbeat could not be written) may find that another instance took the execution over and
 * answered it; then what the worker found is dropped with a warning, never reported beside that answer. The lock
 * orders each write against a takeover, which skips locked rows and so never answers beside a write in flight.
 */
@ApplicationScoped
public class RecordIfStillOwned {

    private static final Logger LOG = Logger.getLogger(RecordIfStillOwned.class);

    private final ExecutionRepository executions;
    private final ExecutorConfig config;

    RecordIfStillOwned(ExecutionRepository executions, ExecutorConfig config) {
        this.executions = executions;
        this.config = config;
    }

    /**
     * Writes {@code write} if this instance still owns the execution; {@code what} names the write in the warning
     * otherwise ("its outcome", "the success of Admin"). Whether it was written.
     */
    public boolean record(UUID executionId, String what, Consumer<Execution> write) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Execution execution = executions.lockAgainstTakeOver(executionId);
            String me = config.instanceId();
            if (execution.state != ExecutionState.RUNNING || !me.equals(execution.owner)) {
                LOG.warnf("%s %s: %s dropped; it is %s under executor %s now, no longer this instance's (%s)",
                        execution.kind.description(), executionId, what, execution.state, execution.owner, me);
                return false;
            }
            write.accept(execution);
            return true;
        });
    }
}
