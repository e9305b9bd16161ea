package moonshot.power;

/**
 * One step of a power sequence. {@code target} is a node role or HYPERVISOR; {@code waitFor} is the state that must be
 * confirmed before the next step starts.
 */
public record PowerStep(int order, String target, String action, String waitFor) {
}
