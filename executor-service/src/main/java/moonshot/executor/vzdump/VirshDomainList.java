package moonshot.executor.vzdump;

import moonshot.executor.dialect.DiscoveryDriver;
import moonshot.executor.dialect.DiscoveryDriver.ListedVm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code virsh list --all}: a header ({@code Id  Name  State}), a dashed rule, then one row per domain. A shut
 * off domain has {@code -} as its Id; a running one gets a new Id at every start.
 */
public final class VirshDomainList {

    /** libvirt's states of a domain that has a running QEMU process. */
    private static final Set<String> ON_STATES = Set.of("running", "idle", "paused", "in shutdown", "pmsuspended",
            "blocked");

    private VirshDomainList() {
    }

    public static List<ListedVm> parse(String stdout) {
        List<ListedVm> vms = new ArrayList<>();
        boolean header = false;
        for (String line : stdout.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.matches("-+")) {
                continue;
            }
            String[] cells = line.split("\\s+", 3);
            if (!header) {
                if (cells.length == 3 && cells[0].equals("Id") && cells[1].equals("Name") && cells[2].equals("State")) {
                    header = true;
                    continue;
                }
                throw new IllegalStateException("virsh list printed no domain table: " + line);
            }
            if (cells.length < 3 || !cells[0].matches("\\d+|-")) {
                throw new IllegalStateException("unexpected virsh list row: " + line);
            }
            vms.add(new ListedVm(cells[1], cells[0], powerState(cells[2]), null));
        }
        if (!header) {
            throw new IllegalStateException("virsh list printed no domain table");
        }
        return vms;
    }

    static String powerState(String state) {
        return ON_STATES.contains(state) ? DiscoveryDriver.ON : DiscoveryDriver.OFF;
    }
}
