package moonshot.executor.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.executor.KnownHost;

import java.util.Optional;

@ApplicationScoped
public class KnownHostRepository implements PanacheRepositoryBase<KnownHost, String> {

    public Optional<KnownHost> findActive(String name) {
        return findByIdOptional(name).filter(h -> !h.removed);
    }

    /** A hypervisor as the newest announcement of any host on it describes it. */
    public Optional<HypervisorConnection> hypervisor(String hypervisorName) {
        return list("removed = false order by updatedAt desc").stream()
                .map(h -> h.hypervisor)
                .filter(h -> h.name().equals(hypervisorName))
                .findFirst();
    }
}
