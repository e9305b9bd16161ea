package moonshot.contract;

/** The data of a {@code moonshot.node.status} event (ARCHITECTURE.md §4.2); {@code node} is the VM name. */
public record NodeStatus(String managementHost, String node, String state) {
}
