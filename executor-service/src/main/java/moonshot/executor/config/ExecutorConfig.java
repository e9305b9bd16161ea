package moonshot.executor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The executor's business settings ({@code moonshot.executor.*}). */
@ConfigMapping(prefix = "moonshot.executor")
public interface ExecutorConfig {

    /** Names this instance as the owner of the executions it runs; stable across restarts of one replica. */
    @WithDefault("executor-1")
    String instanceId();

    /** Executions run in parallel by this instance. */
    @WithDefault("4")
    int workers();

    /** The longest a backup command may run before it is stopped and the node failed. */
    @WithDefault("PT2H")
    Duration backupTimeout();

    /** Measuring an artifact (size and checksum) on the hypervisor. */
    @WithDefault("PT10M")
    Duration measureTimeout();

    /**
     * How long an accepted command for a management host the executor has not heard of waits for inventory's
     * announcement (it comes on another topic and may arrive second) before it is carried out and fails.
     */
    @WithDefault("PT30S")
    Duration unknownHostGrace();

    /** Removing one backup artifact ({@code rm -rf}) on the hypervisor; a large folder takes a while on VMFS. */
    @WithDefault("PT10M")
    Duration deleteTimeout();

    /** How often the power state is read while waiting for a power action to take effect. */
    @WithDefault("PT0.5S")
    Duration powerPollInterval();

    /** One long restore step on the hypervisor: removing the VM's files, copying it back, {@code vzdump --restore}. */
    @WithDefault("PT2H")
    Duration restoreTimeout();

    Ssh ssh();

    SnapshotWitness snapshotWitness();

    Lease lease();

    /**
     * How long a RUNNING execution stays its owner's: the owner renews it while a thread of it works on the execution;
     * once it has run out, any replica takes the execution over and answers it as a restart would.
     */
    interface Lease {
        /** From a claim or a renewal until the lease runs out. */
        @WithDefault("PT60S")
        Duration duration();

        /** Between two renewals; at most half the duration, so that one failed renewal does not lose the lease. */
        @WithDefault("PT15S")
        Duration heartbeat();
    }

    /** How the executor watches, on the hypervisor, for a backup's snapshot to begin. */
    interface SnapshotWitness {
        /** Between two looks while the snapshot is expected soon: the precision of what is seen. */
        @WithDefault("PT0.02S")
        Duration pollInterval();

        /** How long after the dispatch the executor keeps looking at {@link #pollInterval()}. */
        @WithDefault("PT10S")
        Duration fastWindow();

        /** Between two looks after that (a tool waiting on a lock for minutes). */
        @WithDefault("PT1S")
        Duration slowInterval();
    }

    interface Ssh {
        /** Directory holding the private keys that hypervisors name by file name. */
        @WithDefault("/run/secrets/moonshot-ssh")
        String keyDir();

        @WithDefault("PT10S")
        Duration connectTimeout();

        /** Timeout of short commands (listing VMs, checks). */
        @WithDefault("PT60S")
        Duration commandTimeout();

        @WithDefault("PT30S")
        Duration keepAlive();

        /** Channels open at once per hypervisor (OpenSSH allows 10 sessions per connection). */
        @WithDefault("8")
        int maxChannelsPerHost();
    }
}
