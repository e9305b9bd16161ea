package moonshot.e2e;

import io.restassured.path.json.JsonPath;
import moonshot.lab.SimulatedHost;
import moonshot.stack.LibvirtExternalHost;
import moonshot.stack.LocalStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libvirt-external dialect through all four services on the lab (kvm-02, mh-libvirt): the pair snapshotted
 * together with the skew, its source and precision; a failed Controller restored with its partner from that set.
 */
@ExtendWith(E2EStack.class)
class LibvirtExternalEndToEndTest {

    static LocalStack stack;
    static String scheduler;
    static SimulatedHost kvm;

    @BeforeAll
    static void addHost() throws Exception {
        stack = E2EStack.get();
        scheduler = stack.url("scheduler");
        kvm = LibvirtExternalHost.add(stack, Duration.ofMillis(800), Duration.ofMillis(300));
    }

    @Test
    void aPairIsSnapshottedTogetherAndAFailedControllerIsRestoredWithItsPartnerFromThatSet() {
        Instant since = Instant.now();
        JsonPath run = Runs.awaitTerminal(scheduler, Runs.request(scheduler, LibvirtExternalHost.MANAGEMENT_HOST,
                "PAIR"));
        assertEquals("SUCCEEDED", run.getString("state"), run.prettify());
        assertEquals("virsh domblklist", run.getString("skewSource"));
        assertEquals("true", run.getString("consistency"), run.prettify());
        assertNotNull(run.get("skewPrecisionMillis"));
        long labSkew = Duration.between(Runs.labMoment(kvm, "SNAPSHOT_STARTED", "Controller", since),
                Runs.labMoment(kvm, "SNAPSHOT_STARTED", "Compute", since)).abs().toMillis();
        assertEquals(labSkew, run.getLong("skewMillis"), run.getLong("skewPrecisionMillis") + 50.0,
                "the lab's skew lies within the recorded skew and its precision");
        System.out.printf("[e2e] libvirt-external pair skew: %d ± %d ms (%s, consistent %s); lab: %d ms%n",
                run.getLong("skewMillis"), run.getLong("skewPrecisionMillis"), run.getString("skewSource"),
                run.getString("consistency"), labSkew);

        List<String> macs = kvm.macs("Controller");
        kvm.corrupt("Controller");
        Instant restoreSince = Instant.now();
        JsonPath restore = PowerAndRestoreTest.restore(scheduler, LibvirtExternalHost.MANAGEMENT_HOST, "CONTROLLER");
        assertEquals("SUCCEEDED", restore.getString("state"), restore.prettify());
        List<String> defined = kvm.actions().stream().filter(a -> a.at().isAfter(restoreSince)
                && a.action().equals("DEFINED")).map(a -> a.details().get("vm")).toList();
        assertTrue(defined.containsAll(List.of("Controller", "Compute")), "both defined again: " + defined);
        assertEquals(macs, kvm.macs("Controller"));
        assertTrue(List.of("Admin_node", "Controller", "Compute").stream().allMatch(kvm::isPoweredOn));
    }
}
