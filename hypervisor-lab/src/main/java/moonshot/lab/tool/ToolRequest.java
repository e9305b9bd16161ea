package moonshot.lab.tool;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tool wrapper sends: NUL-terminated fields {@code magic, host, tool, cwd, argc, arg1 … argN}.
 * The count is the terminator, so arguments may hold anything but NUL (which no shell word can hold).
 */
record ToolRequest(String host, String tool, String cwd, List<String> args) {
    static final String MAGIC = "moonshot-lab-tool/1";
    private static final int MAX_FIELD = 256 * 1024;
    private static final int MAX_ARGS = 4096;

    static ToolRequest read(InputStream in) throws IOException {
        if (!MAGIC.equals(field(in))) {
            throw new IOException("not a lab tool request");
        }
        String host = field(in);
        String tool = field(in);
        String cwd = field(in);
        int argc;
        try {
            argc = Integer.parseInt(field(in));
        } catch (NumberFormatException e) {
            throw new IOException("bad argument count");
        }
        if (argc < 0 || argc > MAX_ARGS) {
            throw new IOException("bad argument count " + argc);
        }
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(field(in));
        }
        return new ToolRequest(host, tool, cwd, List.copyOf(args));
    }

    private static String field(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != 0) {
            if (b < 0) {
                throw new EOFException("request cut short");
            }
            if (buf.size() >= MAX_FIELD) {
                throw new IOException("request field too long");
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
