package moonshot.knownhosts;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import moonshot.contract.HypervisorConnection;
import moonshot.contract.NotYetKnownException;
import moonshot.contract.UnusableEventException;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class KnownHostRepository implements PanacheRepositoryBase<KnownHost, String> {

    /** A host inventory has announced and not removed. */
    public Optional<KnownHost> findActive(String name) {
        return findByIdOptional(name).filter(h -> !h.removed);
    }

    /**
     * The active host an event names.
     *
     * @throws NotYetKnownException   when inventory's announcement has not reached this service (yet): the consumer
     *                                tries again for a grace period
     * @throws UnusableEventException when the host was removed from inventory
     */
    public KnownHost activeNamedByEvent(String name) {
        KnownHost host = findById(name);
        if (host == null) {
            throw new NotYetKnownException(whyNotActive(name));
        }
        if (host.removed) {
            throw new UnusableEventException(whyNotActive(name));
        }
        return host;
    }

    /** Why {@code name} is not an active host here, for a refusal: removed (and when), or never announced. */
    public String whyNotActive(String name) {
        return findByIdOptional(name)
                .map(h -> h.removed ? "management host '" + name + "' was removed from inventory (" + h.updatedAt + ")"
                        : "management host '" + name + "' is active")
                .orElse("unknown management host '" + name + "' (not registered in inventory, or not yet seen by this"
                        + " service)");
    }

    public List<KnownHost> listActive() {
        return list("removed = false order by name");
    }

    /** A hypervisor as the newest announcement of any host on it describes it. */
    public Optional<HypervisorConnection> hypervisor(String hypervisorName) {
        return list("removed = false order by updatedAt desc").stream()
                .map(h -> h.hypervisor)
                .filter(h -> h.name().equals(hypervisorName))
                .findFirst();
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
