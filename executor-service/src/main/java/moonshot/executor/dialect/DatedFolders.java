package moonshot.executor.dialect;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static moonshot.executor.dialect.ShellQuote.quote;

/**
 * Backups kept as {@code <backup point>/<yyyyMMddHHmmss>/<vm>/} (XSIBackup-Classic, libvirt-external): listed with
 * plain sh (ESXi's busybox has no GNU find), one folder per line.
 */
public final class DatedFolders {

    private static final Pattern DATED_FOLDER = Pattern.compile(".*/\\d{14}/[^/]+$");

    private DatedFolders() {
    }

    /** Every {@code <point>/<digits>/<vm>} folder; exits 0 when there is none. */
    public static String listCommand(String point, String vm) {
        return "for d in " + quote(CommandValues.absolutePath("backup target", point)) + "/[0-9]*/"
                + quote(CommandValues.vmName(vm)) + "; do [ -d \"$d\" ] && echo \"$d\"; done; true";
    }

    /** The VM's dated folders in such a listing. */
    public static Set<String> parse(String vm, String listing) {
        Set<String> folders = new LinkedHashSet<>();
        for (String line : NewArtifact.lines(listing)) {
            if (DATED_FOLDER.matcher(line).matches() && line.endsWith("/" + vm)) {
                folders.add(line);
            }
        }
        return folders;
    }
}
