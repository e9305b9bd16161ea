package moonshot.lab;

/** The tool's caller hung up (SSH channel closed, process killed): the operation must stop where it is. */
final class CallerGone extends Exception {
    CallerGone() {
        super("caller disconnected", null, false, false);
    }
}
