package moonshot.scheduler.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.NodeRole;
import moonshot.scheduler.BackupRun;
import moonshot.knownhosts.KnownHost;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.repository.BackupRunRepository;
import moonshot.knownhosts.KnownHostRepository;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-checks stored backup sets on the hypervisor, as Proxmox Backup Server's verify jobs do: every kept, complete set
 * not checked within {@code verify.max-age} has its artifacts checked (exist, restorable format, size and SHA-256 as
 * recorded), and the set is marked with the outcome, so the catalog shows what can really be restored. A few sets
 * per tick, oldest check first; a check that cannot be made leaves the set's last verdict as it was.
 */
@ApplicationScoped
public class VerifyStoredSets {

    private static final Logger LOG = Logger.getLogger(VerifyStoredSets.class);

    private final BackupRunRepository runs;
    private final KnownHostRepository hosts;
    private final CheckArtifactsOnHypervisor artifacts;
    private final SchedulerConfig config;
    private final Clock clock;

    VerifyStoredSets(BackupRunRepository runs, KnownHostRepository hosts, CheckArtifactsOnHypervisor artifacts,
                     SchedulerConfig config, Clock clock) {
        this.runs = runs;
        this.hosts = hosts;
        this.artifacts = artifacts;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${moonshot.scheduler.verify.every:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (config.verify().enabled()) {
            verifyDue();
        }
    }

    /** Checks the sets that are due now; returns how many were checked. */
    public int verifyDue() {
        Instant now = clock.instant();
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> runs.dueForVerification(
                now.minus(config.verify().maxAge()), config.verify().setsPerTick()));
        int checked = 0;
        for (UUID id : due) {
            if (verify(id).isPresent()) {
                checked++;
            }
        }
        return checked;
    }

    /** Checks one set; empty when it is not a kept complete set of a known host. */
    public Optional<Boolean> verify(UUID runId) {
        record Target(String host, RestorePlanner.BackupSet set, List<NodeRole> roles,
                      List<moonshot.contract.NodeSnapshot> nodes) {
        }
        Optional<Target> target = QuarkusTransaction.requiringNew().call(() -> runs.findByIdOptional(runId)
                .filter(BackupRun::isCompleteSet)
                .flatMap(run -> hosts.findActive(run.managementHost).map(host -> new Target(run.managementHost,
                        Restores.setOf(run), run.nodes.stream().filter(n -> n.state == NodeBackupState.SUCCEEDED
                        && n.deletedAt == null).map(n -> n.role).toList(), List.copyOf(host.nodes)))));
        if (target.isEmpty() || target.get().roles().isEmpty()) {
            // not checkable (host gone from inventory, artifacts deleted): noted, so it does not stay first in line
            Instant at = clock.instant();
            QuarkusTransaction.requiringNew().run(() -> runs.findByIdOptional(runId)
                    .filter(BackupRun::isCompleteSet)
                    .ifPresent(run -> {
                        run.verifiedAt = at;
                        run.verification = "not checked: the host is no longer in inventory or the set has no "
                                + "artifact left";
                    }));
            return Optional.empty();
        }
        MDC.put("managementHost", target.get().host());
        MDC.put("run", runId.toString());
        try {
            Optional<String> problem = artifacts.checkFor(target.get().host(), target.get().nodes())
                    .problem(target.get().set(), target.get().roles());
            if (problem.isPresent() && problem.get().startsWith(CheckArtifactsOnHypervisor.UNCHECKED)) {
                LOG.infof("set %s not verified now: %s", runId, problem.get());
                return Optional.empty();
            }
            Instant at = clock.instant();
            QuarkusTransaction.requiringNew().run(() -> {
                BackupRun run = runs.findById(runId);
                run.verifiedAt = at;
                run.restorable = problem.isEmpty();
                run.verification = problem.orElse(null);
            });
            if (problem.isPresent()) {
                LOG.warnf("set %s of %s can no longer be restored: %s", runId, target.get().host(), problem.get());
            } else {
                LOG.infof("set %s of %s verified restorable", runId, target.get().host());
            }
            return Optional.of(problem.isEmpty());
        } finally {
            MDC.remove("managementHost");
            MDC.remove("run");
        }
    }
}
