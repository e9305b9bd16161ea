package moonshot.executor.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import moonshot.executor.ExecutionState;
import moonshot.executor.repository.ExecutionRepository;
import moonshot.knownhosts.KnownHostRepository;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How every kind of execution is carried out once claimed: what it needs is read in one transaction, with its
 * management host's hypervisor (or why there is none); the work on the hypervisor runs outside any transaction; its
 * outcome is recorded with the execution's end and the events it answers with, in one more transaction, and only while
 * the execution is still RUNNING under this instance ({@link RecordIfStillOwned}): one that was taken over and
 * answered meanwhile keeps that answer, and this outcome is dropped.
 */
@ApplicationScoped
class RunExecution {

    /**
     * One kind of execution's own part.
     *
     * @param <P> what it read of the execution, in the loading transaction
     * @param <O> what carrying it out came to
     */
    interface Work<P, O> {

        ExecutionKind kind();

        /** Read in the loading transaction; may mark the execution's nodes as they are being worked on. */
        P plan(Execution execution);

        /** Logging context besides {@code managementHost}, such as {@code discovery=<id>}. */
        Map<String, String> context(UUID executionId, P plan);

        /** The work on the hypervisor, outside any transaction. */
        O carryOut(P plan, HypervisorConnection hypervisor);

        /** The outcome when the management host is unknown, so nothing can be done on its hypervisor. */
        O cannotReach(P plan, String problem);

        /** The state the execution ends in. */
        default ExecutionState end() {
            return ExecutionState.FINISHED;
        }

        /** In the transaction that ends the execution: its note, its nodes and the events it answers with. */
        void record(Execution execution, P plan, O outcome, Instant at);

        /** Says in the log what came of it. */
        void log(P plan, O outcome);
    }

    /** Another way to carry out a kind, after a restart: whatever it does not override is the kind's own. */
    interface Variant<P, O> extends Work<P, O> {

        Work<P, O> of();

        @Override
        default ExecutionKind kind() {
            return of().kind();
        }

        @Override
        default P plan(Execution execution) {
            return of().plan(execution);
        }

        @Override
        default Map<String, String> context(UUID executionId, P plan) {
            return of().context(executionId, plan);
        }

        @Override
        default O carryOut(P plan, HypervisorConnection hypervisor) {
            return of().carryOut(plan, hypervisor);
        }

        @Override
        default O cannotReach(P plan, String problem) {
            return of().cannotReach(plan, problem);
        }

        @Override
        default ExecutionState end() {
            return of().end();
        }

        @Override
        default void record(Execution execution, P plan, O outcome, Instant at) {
            of().record(execution, plan, outcome, at);
        }

        @Override
        default void log(P plan, O outcome) {
            of().log(plan, outcome);
        }
    }

    private record Loaded<P>(String managementHost, P plan, HypervisorConnection hypervisor, String problem) {
    }

    private final ExecutionRepository executions;
    private final KnownHostRepository hosts;
    private final RecordIfStillOwned ownership;
    private final Clock clock;

    RunExecution(ExecutionRepository executions, KnownHostRepository hosts, RecordIfStillOwned ownership,
                 Clock clock) {
        this.executions = executions;
        this.hosts = hosts;
        this.ownership = ownership;
        this.clock = clock;
    }

    <P, O> void run(UUID executionId, Work<P, O> work) {
        Loaded<P> loaded = QuarkusTransaction.requiringNew().call(() -> load(executionId, work));
        Map<String, String> context = new LinkedHashMap<>();
        context.put("managementHost", loaded.managementHost());
        context.putAll(work.context(executionId, loaded.plan()));
        context.forEach(MDC::put);
        try {
            O outcome = loaded.hypervisor() == null ? work.cannotReach(loaded.plan(), loaded.problem())
                    : work.carryOut(loaded.plan(), loaded.hypervisor());
            if (record(executionId, work, loaded.plan(), outcome)) {
                work.log(loaded.plan(), outcome);
            }
        } finally {
            context.keySet().forEach(MDC::remove);
        }
    }

    private <P> Loaded<P> load(UUID executionId, Work<P, ?> work) {
        Execution execution = executions.findById(executionId);
        if (execution.kind != work.kind()) {
            throw new IllegalStateException("execution " + executionId + " is a " + execution.kind.description()
                    + ", not a " + work.kind().description());
        }
        P plan = work.plan(execution);
        String host = execution.managementHost;
        return hosts.findActive(host)
                .map(known -> new Loaded<>(host, plan, known.hypervisor, null))
                .orElseGet(() -> new Loaded<>(host, plan, null, hosts.whyNotActive(host)));
    }

    private <P, O> boolean record(UUID executionId, Work<P, O> work, P plan, O outcome) {
        return ownership.record(executionId, "its outcome", execution -> {
            Instant now = clock.instant();
            execution.moveTo(work.end(), now);
            work.record(execution, plan, outcome, now);
        });
    }
}
