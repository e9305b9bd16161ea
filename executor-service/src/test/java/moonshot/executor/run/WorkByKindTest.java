package moonshot.executor.run;

import moonshot.contract.HypervisorConnection;
import moonshot.executor.Execution;
import moonshot.executor.ExecutionKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkByKindTest {

    @Test
    void everyKindIsCarriedOutByTheWorkOfThatKind() {
        var byKind = new WorkByKind(new Stub(ExecutionKind.BACKUP), new Stub(ExecutionKind.DISCOVERY),
                new Stub(ExecutionKind.DELETE), new Stub(ExecutionKind.POWER), new Stub(ExecutionKind.CHECK),
                new Stub(ExecutionKind.RESTORE));
        for (ExecutionKind kind : ExecutionKind.values()) {
            assertEquals(kind, byKind.of(kind).kind(), "an execution of kind " + kind + " is carried out as");
        }
    }

    /** A work that only says which kind it is. */
    private record Stub(ExecutionKind kind) implements RunExecution.Work<Void, Void> {

        @Override
        public Void plan(Execution execution) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> context(UUID executionId, Void plan) {
            return Map.of();
        }

        @Override
        public Void carryOut(Void plan, HypervisorConnection hypervisor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Void cannotReach(Void plan, String problem) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void record(Execution execution, Void plan, Void outcome, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void log(Void plan, Void outcome) {
            throw new UnsupportedOperationException();
        }
    }
}
