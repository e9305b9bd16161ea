package moonshot.inventory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.inventory.Hypervisor;
import moonshot.inventory.ManagementHost;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ManagementHostRepository implements PanacheRepositoryBase<ManagementHost, UUID> {

    public Optional<ManagementHost> findByIdOrName(String idOrName) {
        return IdOrName.parse(idOrName).map(this::findByIdOptional)
                .orElseGet(() -> find("name", idOrName).firstResultOptional());
    }

    public boolean nameTaken(String name) {
        return count("name", name) > 0;
    }

    public List<ManagementHost> onHypervisor(Hypervisor hypervisor) {
        return list("hypervisor", hypervisor);
    }
}
