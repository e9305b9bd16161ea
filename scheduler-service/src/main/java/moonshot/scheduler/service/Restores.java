package moonshot.scheduler.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.Dialect;
import moonshot.scheduler.BackupRun;
import moonshot.knownhosts.KnownHost;
import moonshot.scheduler.NodeBackup;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RetentionState;
import moonshot.scheduler.Restore;
import moonshot.scheduler.RestoreState;
import moonshot.scheduler.RestoreStep;
import moonshot.scheduler.repository.BackupRunRepository;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.scheduler.repository.MaintenanceTicketRepository;
import moonshot.scheduler.repository.RestoreRepository;
import moonshot.scheduler.saga.RestoreSaga;
import moonshot.scheduler.service.RestorePlanner.BackupSet;
import moonshot.scheduler.service.RestorePlanner.NodeArtifact;
import moonshot.scheduler.service.RestorePlanner.Plan;
import moonshot.scheduler.service.RestorePlanner.PlannedStep;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Restores as operators ask for them: a plan by the rules (a dry run stops there and writes nothing), then a saga
 * that {@link RestoreSaga} drives. One open restore per host; none while a backup of the host runs or while a
 * maintenance ticket keeps it powered off.
 */
@ApplicationScoped
public class Restores {

    private static final Logger LOG = Logger.getLogger(Restores.class);

    private final RestoreRepository restores;
    private final BackupRunRepository runs;
    private final KnownHostRepository hosts;
    private final MaintenanceTicketRepository tickets;
    private final RestoreSaga saga;
    private final CheckArtifactsOnHypervisor artifacts;
    private final Clock clock;

    Restores(RestoreRepository restores, BackupRunRepository runs, KnownHostRepository hosts,
             MaintenanceTicketRepository tickets, RestoreSaga saga, CheckArtifactsOnHypervisor artifacts,
             Clock clock) {
        this.artifacts = artifacts;
        this.restores = restores;
        this.runs = runs;
        this.hosts = hosts;
        this.tickets = tickets;
        this.saga = saga;
        this.clock = clock;
    }

    /**
     * The plan, and nothing else: no row, no message. The chosen sets' artifacts are checked on the hypervisor
     * (read-only), outside any transaction: reading a large disk for its SHA-256 takes a while.
     */
    public Plan plan(RestorePlanner.Request request) {
        Candidates candidates = QuarkusTransaction.requiringNew().call(() -> candidates(request));
        return RestorePlanner.plan(request, candidates.host(), candidates.sets(), candidates.named(),
                artifacts.checkFor(request.managementHost(), candidates.host().nodes()));
    }

    /**
     * Plans the restore (its artifacts checked on the hypervisor, so a restore that cannot succeed never powers a host
     * off), then records it with its steps and sends the first step (power off), in one transaction.
     */
    public Restore start(RestorePlanner.Request request, String requestedBy) {
        // refused before the artifact check (which can take minutes) and again under the host's lock when recording
        QuarkusTransaction.requiringNew().run(() -> refuseWhileBusy(host(request.managementHost()).name));
        Plan plan = plan(request);
        return QuarkusTransaction.requiringNew().call(() -> record(request, plan, requestedBy));
    }

    private Restore record(RestorePlanner.Request request, Plan plan, String requestedBy) {
        KnownHost host = host(request.managementHost());
        hosts.lockForChanges(host.name);
        refuseWhileBusy(host.name);

        var restore = new Restore();
        restore.id = UUID.randomUUID();
        restore.managementHost = host.name;
        restore.failedNodes = plan.failedNodes();
        restore.restoredNodes = plan.restoredNodes();
        restore.includeHypervisor = plan.includeHypervisor();
        restore.requestedBy = requestedBy;
        restore.state = RestoreState.POWERING_OFF;
        restore.createdAt = clock.instant();
        restore.updatedAt = restore.createdAt;
        for (PlannedStep planned : plan.steps()) {
            restore.steps.add(step(restore, planned));
        }
        restores.persist(restore);
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            LOG.infof("restore %s of %s: %s failed, restoring %s in %d steps%s", restore.id, restore.managementHost,
                    restore.failedNodes, restore.restoredNodes, restore.steps.size(), plan.skipped().isEmpty() ? ""
                            : "; passed over " + plan.skipped());
            saga.start(restore, clock.instant());
        } finally {
            MDC.remove("managementHost");
            MDC.remove("restore");
        }
        return restore;
    }

    /** Resumes a failed restore at its failed step, with a new command. */
    @Transactional
    public Restore retry(UUID id) {
        Restore restore = locked(id);
        if (restore.state != RestoreState.FAILED) {
            throw new ConflictException("restore " + id + " is " + restore.state + "; only a FAILED restore can be "
                    + "retried");
        }
        RestoreStep step = restore.currentStep().orElseThrow();
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            LOG.infof("restore %s of %s: retrying from %s", restore.id, restore.managementHost, step.label());
            saga.retry(restore, clock.instant());
        } finally {
            MDC.remove("managementHost");
            MDC.remove("restore");
        }
        return restore;
    }

    /** Gives a failed restore up; the host is left as the failed step left it (possibly powered off). */
    @Transactional
    public Restore abandon(UUID id) {
        Restore restore = locked(id);
        if (!restore.state.canMoveTo(RestoreState.ABANDONED)) {
            throw new ConflictException("restore " + id + " is " + restore.state + "; only a FAILED restore can be "
                    + "abandoned");
        }
        restore.moveTo(RestoreState.ABANDONED, clock.instant());
        MDC.put("managementHost", restore.managementHost);
        MDC.put("restore", restore.id.toString());
        try {
            LOG.warnf("restore %s of %s abandoned at step %d (%s); the host is left as that step left it",
                    restore.id, restore.managementHost, restore.failedStep, restore.reason);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("restore");
        }
        return restore;
    }

    @Transactional
    public Restore get(UUID id) {
        return restores.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no restore " + id));
    }

    @Transactional
    public List<Restore> recent(String managementHost) {
        return restores.recent(managementHost);
    }

    private Restore locked(UUID id) {
        Restore restore = restores.locked(id);
        if (restore == null) {
            throw new NotFoundException("no restore " + id);
        }
        return restore;
    }

    private KnownHost host(String name) {
        return hosts.findActive(name).orElseThrow(() -> new InvalidRequestException("managementHost",
                hosts.whyNotActive(name)));
    }

    /** What the planner works from, read in one short transaction. */
    private record Candidates(RestorePlanner.Host host, List<BackupSet> sets, java.util.Optional<BackupSet> named) {
    }

    private Candidates candidates(RestorePlanner.Request request) {
        KnownHost host = host(request.managementHost());
        List<BackupSet> sets = runs.finishedOn(host.name).stream().map(Restores::setOf).toList();
        var named = request.backupSet() == null ? java.util.Optional.<BackupSet>empty()
                : runs.findByIdOptional(request.backupSet()).map(Restores::setOf);
        return new Candidates(new RestorePlanner.Host(List.copyOf(host.nodes), host.dialect() == Dialect.VZDUMP), sets,
                named);
    }

    private void refuseWhileBusy(String host) {
        restores.openOn(host).ifPresent(open -> {
            throw new RestoreRefused("managementHost", "management host " + host + " already has restore " + open.id
                    + " (" + open.state + ")" + (open.state == RestoreState.FAILED ? "; retry or abandon it first"
                    : "") + ": one restore per host at a time");
        });
        runs.activeOn(host).stream().findFirst().ifPresent(run -> {
            throw new RestoreRefused("managementHost", "management host " + host + " has backup run " + run.id
                    + " (" + run.scope + ", " + run.state + ") in progress; restore once it has ended");
        });
        tickets.holdingPower(host).ifPresent(ticket -> {
            throw new RestoreRefused("managementHost", "management host " + host + " is powered off for maintenance "
                    + "ticket " + ticket.ticket + " (" + ticket.state + "); complete the ticket first");
        });
    }

    private static RestoreStep step(Restore restore, PlannedStep planned) {
        var step = new RestoreStep();
        step.id = UUID.randomUUID();
        step.restore = restore;
        step.number = planned.number();
        step.kind = planned.kind();
        step.description = planned.description();
        step.role = planned.role();
        step.vmName = planned.vmName();
        step.backupRunId = planned.backupSet();
        step.artifactPath = planned.artifactPath();
        step.takenAt = planned.takenAt();
        step.vzdumpVmid = planned.vzdumpVmid();
        step.expectedMacs = planned.expectedMacs() == null ? null : new ArrayList<>(planned.expectedMacs());
        return step;
    }

    static BackupSet setOf(BackupRun run) {
        return new BackupSet(run.id, run.managementHost, run.scope, run.state.name(), run.isCompleteSet(),
                run.retentionState == RetentionState.KEPT, run.requestedAt,
                run.nodes.stream().map(n -> new NodeArtifact(n.role, n.vmName, n.state == NodeBackupState.SUCCEEDED,
                        n.artifactPath, n.macs, takenAt(run, n), n.deletedAt != null, n.sizeBytes, n.sha256))
                        .toList());
    }

    /** When the node's backup was taken: when its snapshot was seen to begin, else the best we know. */
    private static Instant takenAt(BackupRun run, NodeBackup node) {
        if (node.snapshotNotBefore != null) {
            return node.snapshotNotBefore;
        }
        if (node.dispatchedAt != null) {
            return node.dispatchedAt;
        }
        return run.startedAt != null ? run.startedAt : run.requestedAt;
    }
}
