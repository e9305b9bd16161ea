package moonshot.lab;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The faults armed on one host: one-shot ones are consumed by the first call they apply to. */
public final class FaultBook {
    public static final int SLOW_FACTOR = 5;
    static final String ANY_TOOL = "*";

    /** Which faults make sense for which tool; arming anything else is a test bug worth reporting early. */
    private static final Map<String, Set<Fault>> APPLICABLE = Map.of(
            "xsibackup", EnumSet.of(Fault.DISK_FULL, Fault.SNAPSHOT_ERROR, Fault.SLOW, Fault.UNREACHABLE),
            "vzdump", EnumSet.of(Fault.DISK_FULL, Fault.SNAPSHOT_ERROR, Fault.SLOW, Fault.UNREACHABLE),
            "qmrestore", EnumSet.of(Fault.DISK_FULL, Fault.SLOW, Fault.UNREACHABLE),
            "vim-cmd", EnumSet.of(Fault.SLOW, Fault.UNREACHABLE),
            "virsh", EnumSet.of(Fault.SNAPSHOT_ERROR, Fault.SLOW, Fault.UNREACHABLE),
            "qemu-img", EnumSet.of(Fault.DISK_FULL, Fault.SLOW, Fault.UNREACHABLE),
            "ssh", EnumSet.of(Fault.UNREACHABLE),
            ANY_TOOL, EnumSet.allOf(Fault.class));

    private record Armed(String tool, Fault fault) {
        boolean matches(String calledTool, Set<Fault> wanted) {
            return (tool.equals(ANY_TOOL) || tool.equals(calledTool)) && wanted.contains(fault);
        }
    }

    private final List<Armed> next = new ArrayList<>();
    private final List<Armed> always = new ArrayList<>();

    static void requireApplicable(String tool, Fault fault) {
        Set<Fault> faults = APPLICABLE.get(tool);
        if (faults == null) {
            throw new IllegalArgumentException("unknown tool '" + tool + "', expected one of " + APPLICABLE.keySet());
        }
        if (!faults.contains(fault)) {
            throw new IllegalArgumentException(fault + " does not apply to " + tool);
        }
    }

    synchronized void failNext(String tool, Fault fault) {
        requireApplicable(tool, fault);
        next.add(new Armed(tool, fault));
    }

    synchronized void failAlways(String tool, Fault fault) {
        requireApplicable(tool, fault);
        always.add(new Armed(tool, fault));
    }

    synchronized void clear() {
        next.clear();
        always.clear();
    }

    /** The fault the current call of {@code tool} must suffer, if any, among those it can suffer. */
    public synchronized Optional<Fault> take(String tool, Set<Fault> wanted) {
        for (Iterator<Armed> it = next.iterator(); it.hasNext(); ) {
            Armed armed = it.next();
            if (armed.matches(tool, wanted)) {
                it.remove();
                return Optional.of(armed.fault());
            }
        }
        return always.stream().filter(a -> a.matches(tool, wanted)).map(Armed::fault).findFirst();
    }

    /** UNREACHABLE is about the host, not a tool: whatever tool it was armed for, it applies to SSH. */
    public synchronized boolean takeUnreachable() {
        for (Iterator<Armed> it = next.iterator(); it.hasNext(); ) {
            if (it.next().fault() == Fault.UNREACHABLE) {
                it.remove();
                return true;
            }
        }
        return always.stream().anyMatch(a -> a.fault() == Fault.UNREACHABLE);
    }
}
