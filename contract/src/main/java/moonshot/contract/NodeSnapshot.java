package moonshot.contract;

import java.util.List;

/** One node of a management host as inventory knows it. */
public record NodeSnapshot(NodeRole role, String vmName, @OptionalField Integer vzdumpVmid,
                           @OptionalField List<String> macs) {
}
