package moonshot.contract;

/** One power command on one VM: a graceful shutdown, a hard power-off, or a power-on. */
public enum PowerAction {
    SHUTDOWN, POWER_OFF, POWER_ON
}
