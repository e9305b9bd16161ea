package moonshot.power;

/** What one step of a power sequence does and what confirms it. */
public enum StepKind {
    /** Graceful SHUTDOWN, then a hard POWER_OFF if the node is not OFF within the grace period; confirmed OFF. */
    SHUT_DOWN_NODE,
    /** POWER_ON, confirmed when the executor observes the node ON. */
    POWER_ON_NODE,
    /** POWER_ON, confirmed ON, then confirmed when the node is Deployed (node-status event or readiness probe). */
    POWER_ON_NODE_UNTIL_DEPLOYED,
    /** Ask for the hypervisor's power off out of band, then check until it no longer answers. */
    HYPERVISOR_OFF,
    /** Ask for the hypervisor's power on out of band, then check until it answers. */
    HYPERVISOR_ON;

    public boolean isHypervisor() {
        return this == HYPERVISOR_OFF || this == HYPERVISOR_ON;
    }
}
