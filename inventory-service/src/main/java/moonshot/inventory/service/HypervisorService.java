package moonshot.inventory.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import moonshot.api.errors.ConflictException;
import moonshot.api.errors.InvalidRequestException;
import moonshot.api.errors.NotFoundException;
import moonshot.contract.Dialect;
import moonshot.contract.HypervisorKind;
import moonshot.inventory.Hypervisor;
import moonshot.inventory.messaging.InventoryEvents;
import moonshot.inventory.repository.HypervisorRepository;
import moonshot.inventory.repository.ManagementHostRepository;
import moonshot.inventory.rest.HypervisorRequest;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class HypervisorService {

    private static final Logger LOG = Logger.getLogger(HypervisorService.class);

    private final HypervisorRepository hypervisors;
    private final ManagementHostRepository hosts;
    private final InventoryEvents events;
    private final Clock clock;

    HypervisorService(HypervisorRepository hypervisors, ManagementHostRepository hosts, InventoryEvents events,
                      Clock clock) {
        this.hypervisors = hypervisors;
        this.hosts = hosts;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Hypervisor register(HypervisorRequest request) {
        if (hypervisors.nameTaken(request.name())) {
            throw new InvalidRequestException("name", "a hypervisor named '" + request.name() + "' already exists");
        }
        var hypervisor = new Hypervisor();
        hypervisor.id = UUID.randomUUID();
        hypervisor.createdAt = clock.instant();
        apply(request, hypervisor);
        hypervisors.persist(hypervisor);
        LOG.infof("registered hypervisor %s (%s, %s at %s:%d)", hypervisor.name, hypervisor.kind,
                hypervisor.dialect.wireName(), hypervisor.address, hypervisor.port);
        return hypervisor;
    }

    @Transactional
    public Hypervisor replace(String idOrName, HypervisorRequest request) {
        var hypervisor = get(idOrName);
        if (!hypervisor.name.equals(request.name()) && hypervisors.nameTaken(request.name())) {
            throw new InvalidRequestException("name", "a hypervisor named '" + request.name() + "' already exists");
        }
        apply(request, hypervisor);
        hosts.onHypervisor(hypervisor).forEach(host -> events.managementHostChanged(host, false));
        LOG.infof("updated hypervisor %s", hypervisor.name);
        return hypervisor;
    }

    @Transactional
    public void remove(String idOrName) {
        var hypervisor = get(idOrName);
        var users = hosts.onHypervisor(hypervisor);
        if (!users.isEmpty()) {
            throw new ConflictException("hypervisor '" + hypervisor.name + "' still carries management host(s) "
                    + users.stream().map(h -> h.name).toList() + "; remove them first");
        }
        hypervisors.delete(hypervisor);
        LOG.infof("removed hypervisor %s", hypervisor.name);
    }

    @Transactional
    public Hypervisor get(String idOrName) {
        return hypervisors.findByIdOrName(idOrName)
                .orElseThrow(() -> new NotFoundException("no hypervisor '" + idOrName + "'"));
    }

    @Transactional
    public List<Hypervisor> list() {
        return hypervisors.listAll(io.quarkus.panache.common.Sort.by("name"));
    }

    private void apply(HypervisorRequest request, Hypervisor hypervisor) {
        var kind = HypervisorKind.valueOf(request.kind());
        var dialect = Dialect.fromWire(request.dialect());
        if (dialect.kind() != kind) {
            throw new InvalidRequestException("dialect",
                    "dialect " + dialect.wireName() + " is for " + dialect.kind() + " hypervisors, not " + kind);
        }
        hypervisor.name = request.name();
        hypervisor.kind = kind;
        hypervisor.dialect = dialect;
        hypervisor.address = request.address();
        hypervisor.port = request.port() == null ? 22 : request.port();
        hypervisor.username = request.user();
        hypervisor.keyFile = request.keyFile();
        hypervisor.hostKeyFingerprint = request.hostKeyFingerprint();
        hypervisor.backupTarget = request.backupTarget();
        hypervisor.runningDatastore = request.runningDatastore();
        hypervisor.updatedAt = clock.instant();
    }
}
