package moonshot.executor.vzdump;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place that says which vzdump archives this dialect restores: vzdump 1.x writes a tar ({@code .tar}, with
 * {@code --compress} gzip'd as {@code .tgz}, or {@code .tar.lzo}), Proxmox VE a VMA ({@code .vma}, {@code .vma.lzo},
 * {@code .vma.gz}, {@code .vma.zst}); {@code vzdump --restore} reads them all. Anything else (a {@code .log}, the
 * {@code .dat} of an archive being written) is not an archive.
 */
final class VzdumpFormats {

    static final List<String> RESTORABLE = List.of(".tar", ".tgz", ".tar.lzo", ".vma", ".vma.lzo", ".vma.gz",
            ".vma.zst");
    /** What vzdump writes beside or before an archive: never an artifact. */
    private static final List<String> NOT_ARCHIVES = List.of(".log", ".dat", ".tmp", ".notes", ".protected");
    private static final Pattern STAMP = Pattern.compile("\\d{4}_\\d{2}_\\d{2}-\\d{2}_\\d{2}_\\d{2}");

    private VzdumpFormats() {
    }

    /** Whether {@code file} (a name, no directory) is vzdump's archive of {@code vmid}, in whatever format. */
    static boolean isArchiveOf(String file, String vmid) {
        String prefix = "vzdump-qemu-" + vmid + "-";
        if (!file.startsWith(prefix) || NOT_ARCHIVES.stream().anyMatch(file::endsWith)) {
            return false;
        }
        String rest = file.substring(prefix.length());
        int dot = rest.indexOf('.');
        return dot > 0 && STAMP.matcher(rest.substring(0, dot)).matches();
    }

    /** Why an archive of {@code vmid} cannot be restored, or empty when its format is one vzdump restores. */
    static Optional<String> unrestorable(String file, String vmid) {
        if (!isArchiveOf(file, vmid)) {
            return Optional.of(file + " is not a vzdump archive of VMID " + vmid + " (vzdump-qemu-" + vmid
                    + "-<yyyy_MM_dd-HH_mm_ss> with one of " + String.join(" ", RESTORABLE) + ")");
        }
        if (RESTORABLE.stream().noneMatch(file::endsWith)) {
            return Optional.of(file + " is a vzdump archive in a format this dialect does not restore (it restores "
                    + String.join(" ", RESTORABLE) + ")");
        }
        return Optional.empty();
    }
}
