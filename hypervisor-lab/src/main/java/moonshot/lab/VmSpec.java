package moonshot.lab;

import java.util.List;
import java.util.Objects;

/**
 * A VM to seed on a new simulated host.
 *
 * @param name       the VM name (letters, digits, {@code ._-}, at most 80 characters)
 * @param vzdumpVmid the vzdump VMID on a KVM host; ignored (may be null) on ESXi
 * @param macs       the MAC addresses of its NICs, in order; empty means one NIC with a MAC derived from
 *                   the host and VM names
 * @param poweredOn  whether it runs after seeding
 */
public record VmSpec(String name, Integer vzdumpVmid, List<String> macs, boolean poweredOn) {
    public VmSpec {
        Objects.requireNonNull(name, "name");
        Names.requireVmName(name);
        macs = macs == null ? List.of() : List.copyOf(macs);
    }
}
