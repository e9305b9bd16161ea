package moonshot.lab.tool;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import moonshot.lab.Fault;
import moonshot.lab.FaultBook;
import moonshot.lab.HostRuntime;
import moonshot.lab.LabAction;

/**
 * One running tool invocation: its arguments, the way back to the caller's stdout/stderr, and the
 * caller-liveness check that lets a long operation stop when the SSH side goes away.
 *
 * <p>Each reply frame is a shell snippet ({@code printf '%s' '…'}, the same with {@code >&2}, or
 * {@code exit N}) terminated by NUL; the wrapper evals them one by one, so output streams as the real
 * tool's would.
 */
public final class ToolCall {
    private static final Duration SLICE = Duration.ofMillis(25);

    public final HostRuntime host;
    final String tool;
    public final List<String> args;
    final Path cwd;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, String> progress = new LinkedHashMap<>();
    private boolean gone;
    private boolean slow;

    ToolCall(HostRuntime host, ToolRequest request, ToolEngine.BufferedSocket connection) throws IOException {
        this.host = host;
        this.tool = request.tool();
        this.args = request.args();
        this.cwd = Path.of(request.cwd().isEmpty() ? host.layout.root.toString() : request.cwd());
        this.socket = connection.socket;
        this.in = connection.in;
        this.out = new BufferedOutputStream(connection.socket.getOutputStream());
    }

    public void out(String text) throws CallerGone {
        frame("printf '%s' " + ShellQuote.single(clean(text)));
    }

    public void err(String text) throws CallerGone {
        frame("printf '%s' " + ShellQuote.single(clean(text)) + " >&2");
    }

    public void outLine(String line) throws CallerGone {
        out(line + "\n");
    }

    public void errLine(String line) throws CallerGone {
        err(line + "\n");
    }

    /** The last frame; a caller that left already does not care. */
    void exit(int code) {
        try {
            frame("exit " + code);
        } catch (CallerGone e) {
            // nothing to tell anyone
        }
    }

    /**
     * Sleeps in short slices, checking the caller between them; this is where an abandoned backup notices.
     */
    public void pause(Duration d) throws CallerGone {
        long end = System.nanoTime() + d.toNanos();
        checkCaller();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (!sleepNanos(Math.min(left, SLICE.toNanos()))) {
                // The lab is shutting down: treat it like a hang-up so the tool cleans up the same way.
                gone = true;
                throw new CallerGone();
            }
            checkCaller();
        }
    }

    /** For what the hypervisor finishes on its own once asked (power transitions), caller or not. */
    public void pauseRegardless(Duration d) {
        sleepNanos(d.toNanos());
    }

    public void checkCaller() throws CallerGone {
        if (gone) {
            throw new CallerGone();
        }
        try {
            socket.setSoTimeout(1);
            int b = in.read();
            if (b < 0) {
                gone = true;
            }
        } catch (SocketTimeoutException stillThere) {
            return;
        } catch (IOException e) {
            gone = true;
        }
        if (gone) {
            throw new CallerGone();
        }
    }

    public Path resolve(String path) {
        return cwd.resolve(path).toAbsolutePath().normalize();
    }

    /** Takes the armed fault among {@code wanted}, logging it; SLOW is remembered for {@link #scaled}. */
    public Optional<Fault> fault(Set<Fault> wanted) {
        Optional<Fault> fault = host.faults.take(tool, wanted);
        fault.ifPresent(f -> {
            log("FAULT_INJECTED", "fault", f.name());
            if (f == Fault.SLOW) {
                slow = true;
            }
        });
        return fault;
    }

    /** A command with no duration of its own still honours SLOW, so callers can test their timeouts. */
    public void pauseIfSlow() throws CallerGone {
        if (slow) {
            pause(host.timing.powerDelay().isZero() ? Duration.ofSeconds(1) : host.timing.powerDelay());
        }
    }

    public Duration scaled(Duration d) {
        return slow ? d.multipliedBy(FaultBook.SLOW_FACTOR) : d;
    }

    public LabAction log(String action, String... keyValues) {
        return host.log.append(tool, action, keyValues);
    }

    /** What an abort should report as left behind (VM, partial file …); replaced as the tool moves on. */
    public void progress(String key, String value) {
        if (value == null) {
            progress.remove(key);
        } else {
            progress.put(key, value);
        }
    }

    String[] progressDetails() {
        List<String> kv = new ArrayList<>();
        progress.forEach((k, v) -> {
            kv.add(k);
            kv.add(v);
        });
        return kv.toArray(String[]::new);
    }

    private void frame(String snippet) throws CallerGone {
        if (gone) {
            throw new CallerGone();
        }
        try {
            byte[] bytes = snippet.getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            out.write(0);
            out.flush();
        } catch (IOException e) {
            gone = true;
            throw new CallerGone();
        }
    }

    /** A NUL would end the frame early and bash cannot hold one in a variable anyway. */
    private static String clean(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace("\0", "");
    }

    private static boolean sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
