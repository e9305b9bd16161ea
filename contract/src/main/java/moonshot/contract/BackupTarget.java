package moonshot.contract;

/** One VM a backup run covers. {@code vzdumpVmid} is set for the vzdump dialect. */
public record BackupTarget(NodeRole role, String vmName, @OptionalField Integer vzdumpVmid) {
}
