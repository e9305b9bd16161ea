package moonshot.contract;

/** Kafka topic names. Public ones are fixed by the public contract (root README); internal ones are {@code <owner>.commands|events}. */
public final class Topics {
    public static final String MAINTENANCE = "moonshot.maintenance";
    public static final String NODE_STATUS = "moonshot.node-status";
    public static final String MAINTENANCE_STATUS = "moonshot.maintenance.status";

    public static final String INVENTORY_EVENTS = "inventory.events";
    public static final String EXECUTOR_COMMANDS = "executor.commands";
    public static final String EXECUTOR_EVENTS = "executor.events";
    public static final String POWER_COMMANDS = "power.commands";
    public static final String POWER_EVENTS = "power.events";
    /** Out of band: the hypervisor's own power, for the system that can switch it (iLO, PDU, a person). */
    public static final String HYPERVISOR_POWER = "moonshot.hypervisor-power";

    private Topics() {
    }

    /** The dead-letter topic of a topic: where its unusable records go, with the reason. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
