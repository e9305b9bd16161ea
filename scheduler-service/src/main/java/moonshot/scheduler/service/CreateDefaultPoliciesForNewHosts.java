package moonshot.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import moonshot.knownhosts.KnownHostApplied;

/**
 * The scheduler's hook on inventory: a host it has just learnt (or that came back after a removal) gets the default
 * policies it lacks. A removed host keeps its policies, which do not fire: the host is not active.
 */
@ApplicationScoped
public class CreateDefaultPoliciesForNewHosts {

    private final Policies policies;

    CreateDefaultPoliciesForNewHosts(Policies policies) {
        this.policies = policies;
    }

    void onKnownHost(@Observes KnownHostApplied applied) {
        if (!applied.removed()) {
            policies.createDefaults(applied.host().name);
        }
    }
}
