package moonshot.lab;

import java.io.IOException;

/** One simulated command-line tool; returns its exit status. */
interface Tool {
    int run(ToolCall call) throws CallerGone, IOException;
}
