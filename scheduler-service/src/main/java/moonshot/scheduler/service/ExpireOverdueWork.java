package moonshot.scheduler.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The deadlines' clock (moonshot.scheduler.deadline.*), on the Quarkus scheduler's tick with the injected clock: ends
 * what waited for an answer past its deadline — runs, then restore steps, then maintenance tickets — each in its own
 * transaction under its row lock, taken with {@code SKIP LOCKED} so that scheduler replicas share the work and none
 * waits on a row an answer is being applied to (the next tick looks again).
 */
@ApplicationScoped
public class ExpireOverdueWork {

    private static final Logger LOG = Logger.getLogger(ExpireOverdueWork.class);

    /** Per kind and tick; what is left waits for the next tick. */
    static final int PER_TICK = 100;

    private final ExpireOverdueRuns runs;
    private final FailOverdueRestoreSteps restoreSteps;
    private final BlockOverdueTickets tickets;
    private final Clock clock;

    ExpireOverdueWork(ExpireOverdueRuns runs, FailOverdueRestoreSteps restoreSteps, BlockOverdueTickets tickets,
                      Clock clock) {
        this.runs = runs;
        this.restoreSteps = restoreSteps;
        this.tickets = tickets;
        this.clock = clock;
    }

    /** What one pass ended: runs failed, restores failed, tickets blocked. */
    public record Expired(List<UUID> runs, List<UUID> restores, List<UUID> tickets) {
    }

    @Scheduled(every = "${moonshot.scheduler.tick:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        expireDue();
    }

    /** Ends what is overdue now. Runs go first, so that a ticket waiting for one is blocked with the run's reason. */
    public Expired expireDue() {
        Instant now = clock.instant();
        List<UUID> failedRuns = each("run", runs.due(now, PER_TICK), id -> runs.expire(id, now));
        List<UUID> failedRestores = each("restore", restoreSteps.due(now, PER_TICK), id -> restoreSteps.fail(id, now));
        List<UUID> blockedTickets = each("ticket", tickets.due(now, PER_TICK), id -> tickets.block(id, now));
        return new Expired(failedRuns, failedRestores, blockedTickets);
    }

    /** One at a time: what cannot be ended now (a bug, the database away) does not hold up the others. */
    private static List<UUID> each(String kind, List<UUID> due, Predicate<UUID> end) {
        List<UUID> ended = new ArrayList<>();
        for (UUID id : due) {
            try {
                if (end.test(id)) {
                    ended.add(id);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s %s is past its deadline but could not be ended now (the next tick tries again): %s",
                        kind, id, e.getMessage());
            }
        }
        return ended;
    }
}
