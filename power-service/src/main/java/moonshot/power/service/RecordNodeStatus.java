package moonshot.power.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.contract.NodeStatus;
import moonshot.contract.UnusableEventException;
import moonshot.knownhosts.KnownHost;
import moonshot.power.NodeStatusReport;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.power.repository.NodeStatusRepository;
import moonshot.power.repository.PowerSequenceRepository;
import moonshot.power.saga.PowerSequenceSaga;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.time.Instant;

/**
 * Keeps the latest node-status per host and VM with the time it was received, and confirms the step of the host's
 * running sequence that waits for that VM to be Deployed.
 */
@ApplicationScoped
public class RecordNodeStatus {

    private static final Logger LOG = Logger.getLogger(RecordNodeStatus.class);

    private final KnownHostRepository hosts;
    private final NodeStatusRepository statuses;
    private final PowerSequenceRepository sequences;
    private final PowerSequences lifecycle;
    private final PowerSequenceSaga saga;
    private final Clock clock;

    RecordNodeStatus(KnownHostRepository hosts, NodeStatusRepository statuses, PowerSequenceRepository sequences,
                     PowerSequences lifecycle, PowerSequenceSaga saga, Clock clock) {
        this.hosts = hosts;
        this.statuses = statuses;
        this.sequences = sequences;
        this.lifecycle = lifecycle;
        this.saga = saga;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(NodeStatus status, String eventId, Instant eventTime) {
        KnownHost host = hosts.activeNamedByEvent(status.managementHost());
        if (!host.hasVm(status.node())) {
            throw new UnusableEventException("management host " + host.name + " has no VM named " + status.node());
        }
        // Lock the host's running sequence first: an executor answer moving a step to AWAITING_DEPLOYED at the same
        // moment then either sees this status or is seen by it, never neither.
        var running = sequences.runningOn(host.name).flatMap(sequences::lock);
        Instant now = clock.instant();
        var key = new NodeStatusReport.Key(host.name, status.node());
        NodeStatusReport report = statuses.findByIdOptional(key).orElseGet(() -> {
            var fresh = new NodeStatusReport();
            fresh.key = key;
            return fresh;
        });
        report.state = status.state();
        report.eventId = eventId;
        report.eventTime = eventTime;
        report.receivedAt = now;
        statuses.persist(report);
        LOG.infof("node %s of %s is %s", status.node(), host.name, status.state());
        if (report.isDeployed() && running.isPresent()) {
            var sequence = running.get();
            MDC.put("sequence", sequence.id.toString());
            if (saga.deployedReported(sequence, status.node(), now, now)) {
                lifecycle.afterChange(sequence);
            }
        }
    }
}
