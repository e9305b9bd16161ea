package moonshot.inventory.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.NodeRole;
import moonshot.inventory.Discovery;
import moonshot.inventory.DiscoveryNode;
import moonshot.inventory.ManagementHost;
import moonshot.inventory.messaging.ExecutorCommands;
import moonshot.inventory.repository.DiscoveryRepository;
import moonshot.inventory.repository.ManagementHostRepository;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

/** Asks the executor what a management host's hypervisor shows, and serves what it answered. */
@ApplicationScoped
public class DiscoveryService {

    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);

    private final ManagementHostRepository hosts;
    private final DiscoveryRepository discoveries;
    private final ExecutorCommands commands;
    private final Clock clock;

    DiscoveryService(ManagementHostRepository hosts, DiscoveryRepository discoveries, ExecutorCommands commands,
                     Clock clock) {
        this.hosts = hosts;
        this.discoveries = discoveries;
        this.commands = commands;
        this.clock = clock;
    }

    /** A REQUESTED discovery and, in the same transaction, its DiscoverVms for the executor. */
    @Transactional
    public Discovery request(String hostIdOrName) {
        ManagementHost host = host(hostIdOrName);
        var discovery = new Discovery();
        discovery.id = UUID.randomUUID();
        discovery.managementHost = host;
        discovery.requestedAt = clock.instant();
        discoveries.persist(discovery);
        commands.discoverVms(discovery);
        LOG.infof("requested discovery %s of management host %s on hypervisor %s", discovery.id, host.name,
                host.hypervisor.name);
        return discovery;
    }

    @Transactional
    public Discovery latest(String hostIdOrName) {
        ManagementHost host = host(hostIdOrName);
        return discoveries.latestOf(host)
                .orElseThrow(() -> new NotFoundException("management host '" + host.name + "' has no discovery yet"));
    }

    @Transactional
    public Discovery get(String hostIdOrName, String id) {
        ManagementHost host = host(hostIdOrName);
        return discoveries.ofHost(host, id)
                .orElseThrow(() -> new NotFoundException("management host '" + host.name + "' has no discovery '"
                        + id + "'"));
    }

    /** The node's configuration as last captured by a discovery. */
    @Transactional
    public DiscoveryNode nodeConfig(String hostIdOrName, String role) {
        ManagementHost host = host(hostIdOrName);
        NodeRole nodeRole = role(role);
        return discoveries.latestConfig(host, nodeRole)
                .orElseThrow(() -> new NotFoundException("no configuration of the " + nodeRole + " node of '"
                        + host.name + "' has been captured yet; request a discovery"));
    }

    private ManagementHost host(String idOrName) {
        return hosts.findByIdOrName(idOrName)
                .orElseThrow(() -> new NotFoundException("no management host '" + idOrName + "'"));
    }

    private static NodeRole role(String role) {
        try {
            return NodeRole.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("role", "must be ADMIN, CONTROLLER or BAREMETAL");
        }
    }
}
