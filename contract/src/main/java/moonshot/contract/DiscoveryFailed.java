package moonshot.contract;

import java.util.UUID;

/** Discovery could not list the hypervisor's VMs; {@code reason} is the tool's or the connection's own message. */
public record DiscoveryFailed(UUID discoveryId, String managementHost, String reason) {
}
