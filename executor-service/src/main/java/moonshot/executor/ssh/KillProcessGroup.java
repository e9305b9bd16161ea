package moonshot.executor.ssh;

import java.util.List;

/**
 * The command that kills a remote command's whole process group, and its outcome in words. It runs in any POSIX shell
 * (dash, bash, busybox ash, whose {@code kill} takes no {@code --}): SIGTERM to the group {@code -PID}, or to the
 * process alone when it leads no group; then, if anything of it is still there after {@link #GRACE_SECONDS}, SIGKILL.
 * It prints what it did ({@code group}/{@code process}, then {@code TERM}/{@code KILL}, or {@code gone}).
 */
final class KillProcessGroup {

    static final int GRACE_SECONDS = 5;

    private KillProcessGroup() {
    }

    /** @throws IllegalArgumentException for 0 or 1 ({@code kill -TERM -1} would signal every process there is) */
    static String command(long pid) {
        if (pid < 2) {
            throw new IllegalArgumentException("refusing to kill PID " + pid);
        }
        return "p=" + pid + "; "
                + "if kill -TERM -$p 2>/dev/null; then t=-$p; echo group; "
                + "elif kill -TERM $p 2>/dev/null; then t=$p; echo process; "
                + "else echo gone; exit 0; fi; "
                + "i=0; while kill -0 $t 2>/dev/null; do "
                + "if [ $i -ge " + GRACE_SECONDS + " ]; then kill -KILL $t 2>/dev/null; echo KILL; exit 0; fi; "
                + "sleep 1; i=$((i+1)); done; echo TERM";
    }

    /** What {@link #command} did, as a phrase that follows "timed out after 60 s; ". */
    static String outcome(long pid, CommandResult result) {
        var lines = result.succeeded() ? result.stdout().strip().lines().toList() : List.<String>of();
        if (lines.equals(List.of("gone"))) {
            return "nothing left to kill: process " + pid + " had already ended on the hypervisor";
        }
        if (lines.size() == 2 && List.of("group", "process").contains(lines.get(0))
                && List.of("TERM", "KILL").contains(lines.get(1))) {
            String what = lines.get(0).equals("group") ? "its process group " + pid
                    : "its process " + pid + " (it leads no process group)";
            String how = lines.get(1).equals("KILL")
                    ? "SIGKILL, still there " + GRACE_SECONDS + " s after SIGTERM" : "SIGTERM";
            return "killed " + what + " on the hypervisor (" + how + ")";
        }
        return "killing its process group " + pid + " on the hypervisor failed: `kill` " + result.failureMessage();
    }
}
