package moonshot.contract;

import java.util.List;

/** Which nodes one backup run covers. PAIR is CONTROLLER and BAREMETAL, snapshotted at one barrier. */
public enum BackupScope {
    ADMIN(List.of(NodeRole.ADMIN)),
    PAIR(List.of(NodeRole.CONTROLLER, NodeRole.BAREMETAL)),
    FULL(List.of(NodeRole.ADMIN, NodeRole.CONTROLLER, NodeRole.BAREMETAL));

    private final List<NodeRole> roles;

    BackupScope(List<NodeRole> roles) {
        this.roles = roles;
    }

    public List<NodeRole> roles() {
        return roles;
    }
}
