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
