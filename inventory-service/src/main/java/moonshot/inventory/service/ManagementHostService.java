package moonshot.inventory.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.Dialect;
import moonshot.contract.NodeRole;
import moonshot.inventory.Hypervisor;
import moonshot.inventory.ManagementHost;
import moonshot.inventory.Node;
import moonshot.inventory.messaging.InventoryEvents;
import moonshot.inventory.repository.HypervisorRepository;
import moonshot.inventory.repository.ManagementHostRepository;
import moonshot.inventory.rest.ManagementHostRequest;
import moonshot.inventory.rest.NodeRequest;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@ApplicationScoped
public class ManagementHostService {

    private static final Logger LOG = Logger.getLogger(ManagementHostService.class);

    private final ManagementHostRepository hosts;
    private final HypervisorRepository hypervisors;
    private final InventoryEvents events;
    private final Clock clock;

    ManagementHostService(ManagementHostRepository hosts, HypervisorRepository hypervisors, InventoryEvents events,
                          Clock clock) {
        this.hosts = hosts;
        this.hypervisors = hypervisors;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public ManagementHost register(ManagementHostRequest request) {
        if (hosts.nameTaken(request.name())) {
            throw new InvalidRequestException("name", "a management host named '" + request.name() + "' already exists");
        }
        var host = new ManagementHost();
        host.id = UUID.randomUUID();
        host.createdAt = clock.instant();
        apply(request, host);
        hosts.persist(host);
        events.managementHostChanged(host, false);
        LOG.infof("registered management host %s on %s with nodes %s", host.name, host.hypervisor.name,
                host.nodes.stream().map(n -> n.role + "=" + n.vmName).toList());
        return host;
    }

    @Transactional
    public ManagementHost replace(String idOrName, ManagementHostRequest request) {
        var host = get(idOrName);
        if (!host.name.equals(request.name()) && hosts.nameTaken(request.name())) {
            throw new InvalidRequestException("name", "a management host named '" + request.name() + "' already exists");
        }
        if (!host.name.equals(request.name())) {
            throw new InvalidRequestException("name", "a management host cannot be renamed (other services key "
                    + "its history by name); register a new one");
        }
        apply(request, host);
        events.managementHostChanged(host, false);
        LOG.infof("updated management host %s", host.name);
        return host;
    }

    @Transactional
    public void remove(String idOrName) {
        var host = get(idOrName);
        events.managementHostChanged(host, true);
        hosts.delete(host);
        LOG.infof("removed management host %s", host.name);
    }

    @Transactional
    public ManagementHost get(String idOrName) {
        return hosts.findByIdOrName(idOrName)
                .orElseThrow(() -> new NotFoundException("no management host '" + idOrName + "'"));
    }

    @Transactional
    public List<ManagementHost> list() {
        return hosts.listAll(io.quarkus.panache.common.Sort.by("name"));
    }

    private void apply(ManagementHostRequest request, ManagementHost host) {
        Hypervisor hypervisor = hypervisors.findByIdOrName(request.hypervisor())
                .orElseThrow(() -> new InvalidRequestException("hypervisor",
                        "no hypervisor '" + request.hypervisor() + "'"));
        validateNodes(request.nodes(), hypervisor);
        host.name = request.name();
        host.hypervisor = hypervisor;
        host.updatedAt = clock.instant();
        List<Node> previous = new ArrayList<>(host.nodes);
        host.nodes.clear();
        for (NodeRequest nodeRequest : request.nodes()) {
            var role = NodeRole.valueOf(nodeRequest.role());
            Node node = previous.stream().filter(n -> n.role == role).findFirst().orElseGet(() -> {
                var fresh = new Node();
                fresh.id = UUID.randomUUID();
                return fresh;
            });
            node.managementHost = host;
            node.role = role;
            node.vmName = nodeRequest.vmName();
            node.vzdumpVmid = nodeRequest.vzdumpVmid();
            node.readinessProbe = nodeRequest.readinessProbe();
            node.macs = nodeRequest.macs() == null ? new ArrayList<>()
                    : new ArrayList<>(nodeRequest.macs().stream().map(m -> m.toLowerCase(Locale.ROOT)).toList());
            host.nodes.add(node);
        }
    }

    /** The shape is checked on the request; here what a pattern cannot say: a real port and a parseable URI. */
    private static void validateReadinessProbe(String field, String probe) {
        URI uri;
        try {
            uri = new URI(probe);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(field, "not a valid URI: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new InvalidRequestException(field, "names no host");
        }
        boolean tcp = "tcp".equals(uri.getScheme());
        if (tcp ? uri.getPort() < 1 || uri.getPort() > 65535 : uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new InvalidRequestException(field, "port must be between 1 and 65535");
        }
    }

    /** Exactly one node per role, distinct VM names, and a vzdump VMID wherever the dialect needs one. */
    private static void validateNodes(List<NodeRequest> nodes, Hypervisor hypervisor) {
        var seenRoles = EnumSet.noneOf(NodeRole.class);
        var seenNames = new HashSet<String>();
        var seenVmids = new HashSet<Integer>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeRequest node = nodes.get(i);
            var role = NodeRole.valueOf(node.role());
            if (!seenRoles.add(role)) {
                throw new InvalidRequestException("nodes[" + i + "].role", "a second " + role + " node");
            }
            if (!seenNames.add(node.vmName())) {
                throw new InvalidRequestException("nodes[" + i + "].vmName",
                        "VM name '" + node.vmName() + "' is used by another node of this host");
            }
            if (node.readinessProbe() != null) {
                validateReadinessProbe("nodes[" + i + "].readinessProbe", node.readinessProbe());
            }
            if (hypervisor.dialect == Dialect.VZDUMP) {
                if (node.vzdumpVmid() == null) {
                    throw new InvalidRequestException("nodes[" + i + "].vzdumpVmid",
                            "is required on a vzdump hypervisor (vzdump names VMs by VMID)");
                }
                if (!seenVmids.add(node.vzdumpVmid())) {
                    throw new InvalidRequestException("nodes[" + i + "].vzdumpVmid",
                            "VMID " + node.vzdumpVmid() + " is used by another node of this host");
                }
            }
        }
        var missing = EnumSet.complementOf(seenRoles);
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("nodes", "missing " + missing + " node; a management host has exactly "
                    + "one ADMIN, one CONTROLLER and one BAREMETAL node");
        }
    }
}
