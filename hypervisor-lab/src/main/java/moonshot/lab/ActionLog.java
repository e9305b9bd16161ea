package moonshot.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's {@code lab-actions.log}: {@code <ISO instant> <host> <tool> <ACTION> key=value ...}, one line
 * per action. Values are percent-encoded where they hold {@code %}, blanks or control characters, so a
 * line always splits on single spaces.
 */
public final class ActionLog {
    static final String FILE_NAME = "lab-actions.log";

    private final Path file;
    private final String host;
    private final Clock clock;

    ActionLog(Path file, String host, Clock clock) {
        this.file = file;
        this.host = host;
        this.clock = clock;
    }

    /**
     * The timestamp is taken under the same lock as the append so that the file's order is the order of
     * time, which is what benchmarks measuring snapshot skew rely on.
     */
    public synchronized LabAction append(String tool, String action, String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            details.put(keyValues[i], keyValues[i + 1] == null ? "" : keyValues[i + 1]);
        }
        // Truncated to what the line holds, so the returned action equals the one read back.
        Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        StringBuilder line = new StringBuilder(Stamps.ACTION_LOG.format(at))
                .append(' ').append(host).append(' ').append(tool).append(' ').append(action);
        details.forEach((k, v) -> line.append(' ').append(k).append('=').append(encode(v)));
        line.append('\n');
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        return new LabAction(at, host, tool, action, Collections.unmodifiableMap(details));
    }

    synchronized List<LabAction> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<LabAction> actions = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    actions.add(parse(line));
                }
            }
            return List.copyOf(actions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static LabAction parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length < 4) {
            throw new IllegalArgumentException("not an action line: " + line);
        }
        Map<String, String> details = new LinkedHashMap<>();
        for (int i = 4; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                details.put(parts[i].substring(0, eq), decode(parts[i].substring(eq + 1)));
            }
        }
        return new LabAction(Instant.parse(parts[0]), parts[1], parts[2], parts[3],
                Collections.unmodifiableMap(details));
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '%' || c <= ' ' || c == 0x7f) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        // Non-ASCII bytes were appended as chars above; re-decode them as UTF-8.
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
