package moonshot.lab;

/** What a simulated host can be told to get wrong. */
public enum Fault {
    /** xsibackup, vzdump and restores fail half-way with {@code No space left on device} and a non-zero exit. */
    DISK_FULL,
    /** xsibackup and vzdump fail when they take the VM's snapshot. */
    SNAPSHOT_ERROR,
    /** The operation takes five times longer (instant commands wait one power delay). */
    SLOW,
    /** The SSH server refuses connections (and, for failAlways, drops the open ones). */
    UNREACHABLE
}
