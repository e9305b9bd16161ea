package moonshot.inventory;

/** A node's power as last observed. UNKNOWN until something has looked. */
public enum PowerState {
    UNKNOWN, ON, OFF
}
