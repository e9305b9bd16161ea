package moonshot.contract;

/** The three nodes of a management host. */
public enum NodeRole {
    ADMIN, CONTROLLER, BAREMETAL
}
