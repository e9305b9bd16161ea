package moonshot.executor.xsibackup;

import moonshot.executor.dialect.DiscoveryDriver.ListedVm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code vim-cmd vmsvc/getallvms}: a header, then one row per registered VM
 * ({@code Vmid  Name  File  Guest OS  Version  Annotation}). Names and annotations may hold spaces, so a row is read
 * around its file column ({@code [datastore1] Admin/Admin.vmx}). Lines that are not rows (the header,
 * {@code Skipping invalid VM '5'}, the continuation of a multi-line annotation) are skipped.
 */
final class GetAllVmsListing {

    private static final Pattern ROW = Pattern.compile(
            "^(\\d+)\\s+(.+?)\\s+(\\[[^\\]]+\\]\\s*.+?\\.vmx|/.+?\\.vmx)(?:\\s+.*)?$");
    private static final Pattern DATASTORE_PATH = Pattern.compile("^\\[([^\\]]+)\\]\\s*(.+)$");

    private GetAllVmsListing() {
    }

    /** @param runningDatastore the hypervisor's running datastore, against which {@code [name] dir/vm.vmx} resolves */
    static List<ListedVm> parse(String stdout, String runningDatastore) {
        List<ListedVm> vms = new ArrayList<>();
        boolean header = false;
        for (String line : stdout.lines().toList()) {
            if (line.startsWith("Vmid") && line.contains("Name") && line.contains("File")) {
                header = true;
                continue;
            }
            Matcher row = ROW.matcher(line.stripTrailing());
            if (row.matches()) {
                vms.add(new ListedVm(row.group(2).strip(), row.group(1), null,
                        absolute(row.group(3).strip(), runningDatastore)));
            }
        }
        if (!header) {
            throw new IllegalStateException("vim-cmd vmsvc/getallvms printed no VM table");
        }
        return vms;
    }

    /**
     * {@code [datastore1] Admin/Admin.vmx} → {@code <runningDatastore>/Admin/Admin.vmx} when the running datastore is
     * the one named ({@code /vmfs/volumes/datastore1}); another datastore is its sibling under the same volumes
     * directory, as on ESXi. An absolute path is kept.
     */
    static String absolute(String file, String runningDatastore) {
        if (file.startsWith("/")) {
            return file;
        }
        Matcher m = DATASTORE_PATH.matcher(file);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected VM file " + file);
        }
        String store = m.group(1);
        String datastore = runningDatastore.replaceAll("/+$", "");
        int slash = datastore.lastIndexOf('/');
        String base = datastore.substring(slash + 1).equals(store) ? datastore
                : datastore.substring(0, slash) + "/" + store;
        return base + "/" + m.group(2);
    }
}
