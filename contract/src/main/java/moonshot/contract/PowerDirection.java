package moonshot.contract;

/** Which way a power sequence goes. */
public enum PowerDirection {
    OFF, ON
}
