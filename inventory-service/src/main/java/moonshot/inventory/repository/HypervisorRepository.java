package moonshot.inventory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.inventory.Hypervisor;

import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class HypervisorRepository implements PanacheRepositoryBase<Hypervisor, UUID> {

    /** Names are unique and usable in place of ids. */
    public Optional<Hypervisor> findByIdOrName(String idOrName) {
        return IdOrName.parse(idOrName).map(this::findByIdOptional)
                .orElseGet(() -> find("name", idOrName).firstResultOptional());
    }

    public boolean nameTaken(String name) {
        return count("name", name) > 0;
    }
}
