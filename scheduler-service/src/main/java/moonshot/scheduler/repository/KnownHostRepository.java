package moonshot.scheduler.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.scheduler.KnownHost;

import java.util.Optional;

@ApplicationScoped
public class KnownHostRepository implements PanacheRepositoryBase<KnownHost, String> {

    /** A host inventory has announced and not removed. */
    public Optional<KnownHost> findActive(String name) {
        return findByIdOptional(name).filter(h -> !h.removed);
    }

    /**
     * Serialises, until the caller's transaction ends, everything that claims a host's nodes (backup runs, restores,
     * maintenance power), so two requests cannot both pass their checks.
     */
    public void lockForChanges(String name) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, name).getSingleResult();
    }
}
