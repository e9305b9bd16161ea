package moonshot.contract;

import java.util.List;

/**
 * One node of a management host as inventory knows it. {@code readinessProbe}, when set, is how power-service learns
 * the node is Deployed besides {@code moonshot.node.status} events: {@code http://…} (any 2xx) or {@code tcp://host:port}.
 */
public record NodeSnapshot(NodeRole role, String vmName, @OptionalField Integer vzdumpVmid,
                           @OptionalField List<String> macs, @OptionalField String readinessProbe) {

    public NodeSnapshot(NodeRole role, String vmName, Integer vzdumpVmid, List<String> macs) {
        this(role, vmName, vzdumpVmid, macs, null);
    }
}
