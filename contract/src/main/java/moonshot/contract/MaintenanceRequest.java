package moonshot.contract;

/**
 * The data of a {@code moonshot.maintenance.*} or {@code moonshot.deployment.succeeded} event (root README, Public contract),
 * as other systems publish it on {@code moonshot.maintenance}.
 */
public record MaintenanceRequest(
        String managementHost,
        String ticket,
        @OptionalField Boolean powerOff,
        @OptionalField String requestedBy) {
}
