package moonshot.lab.tool;

import java.io.IOException;

/** One simulated command-line tool; returns its exit status. */
public interface Tool {
    int run(ToolCall call) throws CallerGone, IOException;
}
