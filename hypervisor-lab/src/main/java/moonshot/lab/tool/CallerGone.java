package moonshot.lab.tool;

/** The tool's caller hung up (SSH channel closed, process killed): the operation must stop where it is. */
public final class CallerGone extends Exception {
    public CallerGone() {
        super("caller disconnected", null, false, false);
    }
}
