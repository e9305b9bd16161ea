package moonshot.executor.dialect;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What the executor polls on the hypervisor to see a VM's snapshot begin, instead of believing a line of the tool's
 * output: {@code pollCommand} prints the marks of what exists now (snapshot ids, backup files); the snapshot has begun
 * once a mark appears that was not there before the tool started.
 *
 * @param source      names the hypervisor's record, as stated on the run ({@code skewSource})
 * @param pollCommand validated and quoted; exits 0 when it could look, whatever it found
 * @param marks       reads the marks out of the poll's stdout
 */
public record SnapshotWitness(String source, String pollCommand, Function<String, Set<String>> marks) {

    /** Whether {@code now} holds a mark that {@code before} did not. */
    public boolean appeared(Set<String> before, String stdout) {
        Set<String> now = new HashSet<>(marks.apply(stdout));
        now.removeAll(before);
        return !now.isEmpty();
    }
}
