package moonshot.power.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.contract.PowerDirection;
import moonshot.knownhosts.KnownHost;
import moonshot.power.PowerOrder;
import moonshot.power.PowerSequence;
import moonshot.power.PowerSequenceStep;
import moonshot.power.PowerStep;
import moonshot.power.SequenceState;
import moonshot.knownhosts.KnownHostRepository;
import moonshot.power.repository.PowerSequenceRepository;
import moonshot.power.saga.PowerSequenceSaga;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Creates power sequences from the declared order and keeps one running per management host: a sequence asked for
 * while another of its host runs waits QUEUED and starts, oldest first, when the running one ends (whether it
 * succeeded or failed).
 */
@ApplicationScoped
public class PowerSequences {

    private static final Logger LOG = Logger.getLogger(PowerSequences.class);

    private final PowerSequenceRepository sequences;
    private final KnownHostRepository hosts;
    private final PowerSequenceSaga saga;
    private final Clock clock;

    PowerSequences(PowerSequenceRepository sequences, KnownHostRepository hosts, PowerSequenceSaga saga,
                   Clock clock) {
        this.sequences = sequences;
        this.hosts = hosts;
        this.saga = saga;
        this.clock = clock;
    }

    /** What is asked for; {@code id} is the caller's sequence id (a StartPowerSequence's), or null for a new one. */
    public record Request(UUID id, String managementHost, PowerDirection direction, boolean includeHypervisor,
                          String requestedBy) {
    }

    /**
     * Creates the sequence with its steps and starts it, or queues it behind the host's running sequence. A request
     * with the id of an existing sequence returns that sequence and changes nothing.
     */
    @Transactional(dontRollbackOn = InvalidRequestException.class)
    public PowerSequence request(Request request) {
        KnownHost host = hosts.findActive(request.managementHost()).orElseThrow(() -> new InvalidRequestException(
                "managementHost", hosts.whyNotActive(request.managementHost())));
        sequences.lockHost(host.name);
        if (request.id() != null) {
            var existing = sequences.findByIdOptional(request.id());
            if (existing.isPresent()) {
                LOG.infof("power sequence %s was already requested (%s); no second effect", request.id(),
                        existing.get().state);
                return existing.get();
            }
        }
        PowerSequence sequence = create(request, host);
        sequences.persist(sequence);
        String previous = MDC.get("sequence") == null ? null : MDC.get("sequence").toString();
        MDC.put("sequence", sequence.id.toString());
        try {
            var running = sequences.runningOn(host.name);
            if (running.isEmpty()) {
                saga.start(sequence, clock.instant());
            } else {
                LOG.infof("power sequence %s (%s) of %s queued behind running sequence %s", sequence.id,
                        sequence.direction, host.name, running.get());
            }
        } finally {
            restore(previous);
        }
        return sequence;
    }

    /** After a sequence changed: if it ended, the host's oldest queued sequence starts. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterChange(PowerSequence sequence) {
        if (sequence.state.isTerminal()) {
            startNextQueued(sequence.managementHost);
        }
    }

    /** Starts the host's oldest queued sequence if none of its sequences is running. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void startNextQueued(String managementHost) {
        sequences.lockHost(managementHost);
        if (sequences.runningOn(managementHost).isPresent()) {
            return;
        }
        sequences.oldestQueuedOn(managementHost).flatMap(sequences::lock).ifPresent(next -> {
            String previous = MDC.get("sequence") == null ? null : MDC.get("sequence").toString();
            MDC.put("sequence", next.id.toString());
            MDC.remove("node");
            try {
                LOG.infof("starting queued power sequence %s (%s) of %s", next.id, next.direction, managementHost);
                saga.start(next, clock.instant());
            } finally {
                restore(previous);
            }
        });
    }

    @Transactional
    public PowerSequence get(UUID id) {
        return sequences.findByIdOptional(id).orElseThrow(() -> new NotFoundException("no power sequence " + id));
    }

    @Transactional
    public List<PowerSequence> search(String managementHost, SequenceState state, int limit) {
        return sequences.search(managementHost, state, limit);
    }

    private PowerSequence create(Request request, KnownHost host) {
        var sequence = new PowerSequence();
        sequence.id = request.id() != null ? request.id() : UUID.randomUUID();
        sequence.managementHost = host.name;
        sequence.direction = request.direction();
        sequence.includeHypervisor = request.includeHypervisor();
        sequence.requestedBy = request.requestedBy();
        sequence.requestedAt = clock.instant();
        for (PowerStep declared : PowerOrder.steps(request.direction(), request.includeHypervisor())) {
            var step = new PowerSequenceStep();
            step.id = UUID.randomUUID();
            step.sequence = sequence;
            step.position = declared.order();
            step.target = declared.target();
            step.kind = declared.kind();
            if (declared.kind().isHypervisor()) {
                step.vmName = host.hypervisorName();
            } else {
                NodeSnapshot node = host.node(NodeRole.valueOf(declared.target())).orElseThrow(() ->
                        new IllegalStateException("inventory sent host " + host.name + " without a "
                                + declared.target() + " node"));
                step.vmName = node.vmName();
                step.readinessProbe = node.readinessProbe();
            }
            sequence.steps.add(step);
        }
        return sequence;
    }

    private static void restore(String previousSequence) {
        if (previousSequence == null) {
            MDC.remove("sequence");
        } else {
            MDC.put("sequence", previousSequence);
        }
    }
}
