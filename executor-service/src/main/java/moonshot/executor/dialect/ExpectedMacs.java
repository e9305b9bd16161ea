package moonshot.executor.dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Compares the MACs a restored VM has with those captured at backup time, and says exactly what differs. */
public final class ExpectedMacs {

    private ExpectedMacs() {
    }

    /** MACs are verified only when the command gives some (a backup whose capture failed has none). */
    public static boolean given(List<String> expected) {
        return expected != null && !expected.isEmpty();
    }

    /** What differs, in words, or empty when {@code found} has the expected MACs in the expected NIC order. */
    public static Optional<String> difference(List<String> expected, List<String> found) {
        List<String> want = lower(expected);
        List<String> have = lower(found);
        if (want.equals(have)) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>(want);
        missing.removeAll(have);
        List<String> unexpected = new ArrayList<>(have);
        unexpected.removeAll(want);
        List<String> details = new ArrayList<>();
        if (!missing.isEmpty()) {
            details.add("missing " + String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            details.add("unexpected " + String.join(", ", unexpected));
        }
        if (details.isEmpty()) {
            details.add("the same MACs on other NICs or counted twice");
        }
        return Optional.of("expected MACs " + want + ", found " + have + " (" + String.join("; ", details) + ")");
    }

    private static List<String> lower(List<String> macs) {
        return macs == null ? List.of() : macs.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).toList();
    }
}
