package moonshot.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** The backup tool family a hypervisor speaks; executor-service has one driver package per dialect. */
public enum Dialect {
    XSIBACKUP_CLASSIC("xsibackup-classic", HypervisorKind.ESXI),
    VZDUMP("vzdump", HypervisorKind.KVM),
    /** Plain libvirt: external disk-only snapshots at one barrier, copied and merged back (no per-host lock). */
    LIBVIRT_EXTERNAL("libvirt-external", HypervisorKind.KVM);

    private final String wireName;
    private final HypervisorKind kind;

    Dialect(String wireName, HypervisorKind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public HypervisorKind kind() {
        return kind;
    }

    /** Accepts the wire name ({@code xsibackup-classic}) or the constant name; null when unknown. */
    @JsonCreator
    public static Dialect fromWire(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(values())
                .filter(d -> d.wireName.equalsIgnoreCase(value) || d.name().equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown dialect '" + value + "', expected one of xsibackup-classic, vzdump, libvirt-external"));
    }
}
