package moonshot.power;

/**
 * One declared step of a power sequence. {@code target} is a node role or HYPERVISOR; {@code waitFor} is the state
 * that must be confirmed before the next step starts.
 */
public record PowerStep(int order, String target, StepKind kind, String action, String waitFor) {

    public static final String HYPERVISOR = "HYPERVISOR";
}
