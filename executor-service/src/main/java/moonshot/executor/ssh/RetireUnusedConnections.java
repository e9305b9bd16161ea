package moonshot.executor.ssh;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.knownhosts.KnownHost;
import moonshot.knownhosts.KnownHostApplied;
import moonshot.knownhosts.KnownHostRepository;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/**
 * The executor's hook on inventory, for the transport: once no active host names a hypervisor as it was described
 * (its last host removed, or its address, user, key or pinned host key changed), its pooled connection is closed
 * rather than kept open for ever with the old identity.
 */
@ApplicationScoped
public class RetireUnusedConnections {

    private static final Logger LOG = Logger.getLogger(RetireUnusedConnections.class);

    private final KnownHostRepository hosts;
    private final HypervisorClient client;

    RetireUnusedConnections(KnownHostRepository hosts, HypervisorClient client) {
        this.hosts = hosts;
        this.client = client;
    }

    void onKnownHost(@Observes KnownHostApplied applied) {
        boolean newHost = applied.previous() == null;
        boolean sameConnection = !newHost && applied.previous().hypervisor().equals(applied.host().hypervisor);
        if (newHost || (sameConnection && !applied.removed())) {
            return; // no connection can have become unneeded
        }
        var stillNeeded = hosts.listActive().stream().map(h -> h.hypervisor).collect(Collectors.toSet());
        for (var retired : client.retireConnectionsNotIn(stillNeeded)) {
            LOG.infof("closed the connection to hypervisor %s (%s@%s:%d): no active management host needs it any more",
                    retired.name(), retired.user(), retired.address(), retired.port());
        }
    }
}
