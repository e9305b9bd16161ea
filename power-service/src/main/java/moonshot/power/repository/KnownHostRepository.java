package moonshot.power.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.power.KnownHost;

import java.util.Optional;

@ApplicationScoped
public class KnownHostRepository implements PanacheRepositoryBase<KnownHost, String> {

    /** A host inventory has announced and not removed. */
    public Optional<KnownHost> findActive(String name) {
        return findByIdOptional(name).filter(h -> !h.removed);
    }
}
