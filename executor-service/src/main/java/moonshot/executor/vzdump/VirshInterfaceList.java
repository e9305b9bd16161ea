package moonshot.executor.vzdump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code virsh domiflist <name>}: a header ({@code Interface  Type  Source  Model  MAC}), a dashed rule, then
 * one row per NIC whose last cell is its MAC (the Interface is {@code -} while the domain is shut off).
 */
public final class VirshInterfaceList {

    private static final String MAC = "[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}";

    private VirshInterfaceList() {
    }

    public static List<String> macs(String stdout) {
        List<String> macs = new ArrayList<>();
        boolean header = false;
        for (String line : stdout.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.matches("-+")) {
                continue;
            }
            String[] cells = line.split("\\s+");
            if (!header) {
                if (cells[0].equals("Interface") && cells[cells.length - 1].equals("MAC")) {
                    header = true;
                    continue;
                }
                throw new IllegalStateException("virsh domiflist printed no interface table: " + line);
            }
            String mac = cells[cells.length - 1];
            if (!mac.matches(MAC)) {
                throw new IllegalStateException("unexpected virsh domiflist row: " + line);
            }
            macs.add(mac.toLowerCase(Locale.ROOT));
        }
        if (!header) {
            throw new IllegalStateException("virsh domiflist printed no interface table");
        }
        return macs;
    }
}
