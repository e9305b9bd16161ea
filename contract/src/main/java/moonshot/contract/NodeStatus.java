package moonshot.contract;

/** The data of a {@code moonshot.node.status} event (root README, Public contract); {@code node} is the VM name. */
public record NodeStatus(String managementHost, String node, String state) {
}
