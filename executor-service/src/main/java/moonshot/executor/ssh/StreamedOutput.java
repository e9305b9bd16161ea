package moonshot.executor.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One output stream of a remote command, read line by line as it arrives. A chatty tool (progress lines for hours)
 * must not fill the heap: the first {@link #HEAD} lines and the last {@link #TAIL} are kept, with a count of the
 * lines left out between them, and a line longer than {@link #MAX_LINE} characters is cut.
 */
final class StreamedOutput {

    static final int HEAD = 200;
    static final int TAIL = 800;
    static final int MAX_LINE = 4096;

    private final List<String> head = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private long omitted;
    private boolean endsWithNewline = true;

    /** Reads {@code stream} to its end (or until the channel closes), noting when the first line arrived. */
    static StreamedOutput read(InputStream stream, Clock clock, CompletableFuture<Instant> firstOutputAt) {
        return read(stream, clock, firstOutputAt, null, new CompletableFuture<>());
    }

    /**
     * The same for the stderr of a command sent with {@code preamble}: its marker line is taken out (it is the
     * product's, not the tool's, and is no first output) and the PID it reports completes {@code remotePid}, which
     * completes with null when the stream ends without it.
     */
    static StreamedOutput read(InputStream stream, Clock clock, CompletableFuture<Instant> firstOutputAt,
                               PidPreamble preamble, CompletableFuture<Long> remotePid) {
        var output = new StreamedOutput();
        boolean awaitingPid = preamble != null;
        try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            int c;
            StringBuilder line = new StringBuilder();
            Instant lineStartedAt = null;
            while ((c = reader.read()) != -1) {
                if (lineStartedAt == null && !firstOutputAt.isDone()) {
                    lineStartedAt = clock.instant();
                }
                if (c != '\n' && line.length() < MAX_LINE) {
                    line.append((char) c);
                }
                if (!firstOutputAt.isDone() && !(awaitingPid && preamble.mayBecomeMarker(line))) {
                    firstOutputAt.complete(lineStartedAt);
                }
                if (c == '\n') {
                    Long pid = awaitingPid ? preamble.pidIn(line) : null;
                    if (pid != null) {
                        remotePid.complete(pid);
                        awaitingPid = false;
                    } else {
                        output.add(line.toString());
                    }
                    line.setLength(0);
                    lineStartedAt = null;
                }
            }
            if (!line.isEmpty()) {
                if (!firstOutputAt.isDone()) {
                    firstOutputAt.complete(lineStartedAt);
                }
                output.add(line.toString());
                output.endsWithNewline = false;
            }
        } catch (IOException e) {
            // the channel closed under us (timeout or remote end); keep what arrived
        } finally {
            remotePid.complete(null);
        }
        return output;
    }

    private void add(String line) {
        if (head.size() < HEAD) {
            head.add(line);
            return;
        }
        tail.addLast(line);
        if (tail.size() > TAIL) {
            tail.removeFirst();
            omitted++;
        }
    }

    String text() {
        if (head.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        head.forEach(l -> text.append(l).append('\n'));
        if (omitted > 0) {
            text.append("[… ").append(omitted).append(" lines left out …]\n");
        }
        tail.forEach(l -> text.append(l).append('\n'));
        if (!endsWithNewline) {
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }
}
