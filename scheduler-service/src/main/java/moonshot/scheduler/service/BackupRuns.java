package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.BackupScope;
import moonshot.contract.BackupTarget;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.StartBackup;
import moonshot.scheduler.BackupRun;
import moonshot.knownhosts.KnownHost;
import moonshot.scheduler.NodeBackup;
import moonshot.scheduler.Trigger;
import moonshot.scheduler.config.SchedulerConfig;
import moonshot.scheduler.messaging.ExecutorCommands;
import moonshot.scheduler.repository.BackupRunRepository;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.scheduler.repository.RestoreRepository;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/** Creates backup runs and hands them to the executor, one run per node at a time. */
@ApplicationScoped
public class BackupRuns {

    private static final Logger LOG = Logger.getLogger(BackupRuns.class);

    private final BackupRunRepository runs;
    private final KnownHostRepository hosts;
    private final RestoreRepository restores;
    private final ExecutorCommands executor;
    private final SchedulerConfig config;
    private final Clock clock;

    BackupRuns(BackupRunRepository runs, KnownHostRepository hosts, RestoreRepository restores,
               ExecutorCommands executor, SchedulerConfig config, Clock clock) {
        this.runs = runs;
        this.hosts = hosts;
        this.restores = restores;
        this.executor = executor;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Queues a run and, in the same transaction, the StartBackup command. Refused while another run of this host
     * covers one of the same nodes, so a node is never backed up twice in parallel.
     */
    /** What a run is asked for: by whom (trigger, reason) and on behalf of what (policy, ticket, baseline). */
    public record RunRequest(String managementHost, BackupScope scope, Trigger trigger, String reason,
                             java.util.UUID policyId, String ticket, boolean protectedBaseline) {
        public static RunRequest byOperator(String managementHost, BackupScope scope, String reason) {
            return new RunRequest(managementHost, scope, Trigger.OPERATOR, reason, null, null, false);
        }
    }

    @Transactional(dontRollbackOn = {ConflictException.class, InvalidRequestException.class})
    public BackupRun request(String managementHost, BackupScope scope, Trigger trigger, String reason) {
        return request(new RunRequest(managementHost, scope, trigger, reason, null, null, false));
    }

    /** Refusals happen before anything is written, so they leave the caller's transaction usable. */
    @Transactional(dontRollbackOn = {ConflictException.class, InvalidRequestException.class})
    public BackupRun request(RunRequest request) {
        String managementHost = request.managementHost();
        BackupScope scope = request.scope();
        Trigger trigger = request.trigger();
        String reason = request.reason();
        KnownHost host = hosts.findActive(managementHost).orElseThrow(() -> new InvalidRequestException(
                "managementHost", hosts.whyNotActive(managementHost)));
        // Serialise requests for one host so two concurrent requests cannot both pass the overlap check.
        hosts.lockForChanges(managementHost);
        restores.openOn(managementHost).ifPresent(restore -> {
            throw new ConflictException("management host " + managementHost + " has restore " + restore.id + " ("
                    + restore.state + "); no backup is taken while its nodes are being restored");
        });
        var wanted = EnumSet.copyOf(scope.roles());
        for (BackupRun active : runs.activeOn(managementHost)) {
            if (active.scope.roles().stream().anyMatch(wanted::contains)) {
                throw new ConflictException("management host " + managementHost + " already has run " + active.id
                        + " (" + active.scope + ", " + active.state + ") covering "
                        + active.scope.roles().stream().filter(wanted::contains).toList()
                        + "; a node is never backed up twice at once");
            }
        }
        var run = new BackupRun();
        run.id = UUID.randomUUID();
        run.managementHost = managementHost;
        run.scope = scope;
        run.trigger = trigger;
        run.reason = reason;
        run.policyId = request.policyId();
        run.ticket = request.ticket();
        run.protectedBaseline = request.protectedBaseline();
        run.requestedAt = clock.instant();
        run.deadlineAt = run.requestedAt.plus(config.deadline().runQueued());
        for (NodeRole role : scope.roles()) {
            NodeSnapshot snapshot = host.node(role).orElseThrow(() -> new IllegalStateException(
                    "inventory sent host " + managementHost + " without a " + role + " node"));
            var node = new NodeBackup();
            node.id = UUID.randomUUID();
            node.run = run;
            node.role = role;
            node.vmName = snapshot.vmName();
            run.nodes.add(node);
        }
        runs.persist(run);
        List<BackupTarget> targets = scope.roles().stream()
                .map(role -> host.node(role).orElseThrow())
                .map(n -> new BackupTarget(n.role(), n.vmName(), n.vzdumpVmid()))
                .toList();
        executor.startBackup(new StartBackup(run.id, managementHost, scope, targets));
        MDC.put("managementHost", managementHost);
        MDC.put("run", run.id.toString());
        try {
            LOG.infof("queued %s backup run %s of %s (trigger %s: %s)", scope, run.id, managementHost, trigger, reason);
        } finally {
            MDC.remove("managementHost");
            MDC.remove("run");
        }
        return run;
    }

    @Transactional
    public BackupRun get(UUID id) {
        return runs.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no backup run " + id));
    }

    @Transactional
    public List<BackupRun> search(BackupRunRepository.RunFilter filter, int page, int size) {
        return runs.search(filter, page, size);
    }
}
