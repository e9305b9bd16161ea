package moonshot.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;

/** The scheduler's business settings ({@code moonshot.scheduler.*}). */
@ConfigMapping(prefix = "moonshot.scheduler")
public interface SchedulerConfig {

    /** A pair whose snapshots started further apart than this is marked inconsistent. */
    @WithDefault("PT5S")
    Duration pairSkewThreshold();

    /** The zone cron expressions are evaluated in. */
    @WithDefault("UTC")
    ZoneId zone();

    /** How often due policy slots are looked for (a Quarkus scheduler period such as {@code 10s}). */
    @WithDefault("10s")
    String tick();

    Defaults defaults();

    Executor executor();

    Verify verify();

    Deadline deadline();

    /**
     * How long the scheduler waits for an answer before it gives up: past its deadline a run fails, a restore step
     * (and its restore) fails, a maintenance ticket is blocked, each with the reason, and the host is free again. A
     * deadline is stored on the row when it is set (a changed setting moves no existing deadline). Each must lie
     * beyond the timeouts of the service that answers, so that only a lost answer, never a slow one, runs into it.
     */
    interface Deadline {
        /**
         * A QUEUED run waits this long for the executor's first NodeBackupStarted. The executor accepts a StartBackup
         * at once and starts it as soon as one of its workers ({@code moonshot.executor.workers}, 4 per replica) is
         * free, so a fleet's nightly pairs queue behind each other for hours on a saturated executor: this catches
         * an executor that never answers at all, not a busy one (a crashed replica's started work is answered by its
         * lease). Too short, it would fail healthy queued runs whose backups the executor later carries out anyway.
         */
        @WithDefault("PT6H")
        Duration runQueued();

        /**
         * A RUNNING run waits this long, from its first NodeBackupStarted, for every node's outcome: beyond the
         * executor's {@code backup-timeout} (PT2H, counted from the dispatch) plus measuring each artifact
         * ({@code measure-timeout}, PT10M each, three at most).
         */
        @WithDefault("PT3H")
        Duration run();

        /**
         * A restore step waits this long for its answer. A RestoreNode: beyond the executor's {@code restore-timeout}
         * (PT2H for its one long command; removing the old files first is quick). A power step: beyond power-service's
         * longest sequence, which ends on its own timers: ON with the hypervisor 15 min, then each node's power-on
         * (2 min + 30 s) and CONTROLLER's and BAREMETAL's Deployed waits (30 min each), about 83 min; OFF at most
         * 3 × (2 min grace + 1 min hard off + 2 × 30 s) + 15 min = 27 min; a sequence may first wait for another of
         * the same host.
         */
        @WithDefault("PT3H")
        Duration restoreStep();

        /**
         * A maintenance ticket waits this long, from its arrival, for its FULL backup and (with {@code powerOff}) the
         * power-off sequence; and from {@code completed} for the power-on sequence. Beyond a run's two deadlines
         * together (9 h) plus a power-off sequence (27 min), so that a run that gets no answer fails first and
         * blocks the ticket with its own reason.
         */
        @WithDefault("PT10H")
        Duration ticket();
    }

    /** The verify job: stored sets re-checked on the hypervisor so the catalog shows what can really be restored. */
    interface Verify {
        @WithDefault("true")
        boolean enabled();

        /** How often the job looks for sets due (a Quarkus scheduler period). */
        @WithDefault("1h")
        String every();

        /** A set is checked again once its last check is older than this. */
        @WithDefault("P7D")
        Duration maxAge();

        /** At most this many sets per run of the job (each check reads every artifact whole). */
        @WithDefault("5")
        int setsPerTick();
    }

    /** Where the executor answers read-only look-ups (the restore planner's artifact check). */
    interface Executor {
        @WithDefault("http://localhost:8083")
        String url();

        /** Checking a set's artifacts reads each one whole (SHA-256): a large disk takes minutes. */
        @WithDefault("PT30M")
        Duration verifyTimeout();
    }

    /** The policies every newly announced management host gets: ADMIN monthly, CONTROLLER and BAREMETAL nightly at the same moment. */
    interface Defaults {
        /** ADMIN: monthly, 02:00 on the 1st. */
        @WithDefault("0 0 2 1 * ?")
        String adminCron();

        /** CONTROLLER + BAREMETAL at the same moment: nightly at 01:00. */
        @WithDefault("0 0 1 * * ?")
        String pairCron();
    }
}
