package moonshot.executor;

import java.time.Instant;

/**
 * Why an execution's owner is not carrying it out any more, in the words every answer to it uses: the owner restarted
 * and found it still RUNNING under its own name, or the owner stopped renewing its lease and an instance took the
 * execution over.
 *
 * @param previousOwner  the instance that was carrying it out
 * @param leaseExpiredAt when that instance's lease ran out; null after a restart of that instance
 * @param answeredBy     the instance answering it now
 */
public record Interruption(String previousOwner, Instant leaseExpiredAt, String answeredBy) {

    /** {@code instanceId} started again and found the execution RUNNING under its own name. */
    public static Interruption restart(String instanceId, String answeredBy) {
        return new Interruption(instanceId, null, answeredBy);
    }

    /** {@code previousOwner}'s lease ran out at {@code expiredAt} and {@code answeredBy} took the execution over. */
    public static Interruption leaseExpired(String previousOwner, Instant expiredAt, String answeredBy) {
        return new Interruption(previousOwner, expiredAt, answeredBy);
    }

    /** "executor X stopped", or "executor X stopped renewing its lease (it expired at T)": the start of a reason. */
    public String stopped() {
        return leaseExpiredAt == null ? "executor " + previousOwner + " stopped"
                : "executor " + previousOwner + " stopped renewing its lease (it expired at " + leaseExpiredAt + ")";
    }

    /** The note of the execution this ends. */
    public String note() {
        return leaseExpiredAt == null ? "abandoned: executor " + previousOwner + " restarted mid-execution"
                : "abandoned: the lease of executor " + previousOwner + " expired at " + leaseExpiredAt
                + " mid-execution; answered by executor " + answeredBy;
    }
}
