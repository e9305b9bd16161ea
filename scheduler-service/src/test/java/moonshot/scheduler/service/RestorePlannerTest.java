package moonshot.scheduler.service;

import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.scheduler.RestoreStepKind;
import moonshot.scheduler.service.RestorePlanner.BackupSet;
import moonshot.scheduler.service.RestorePlanner.NodeArtifact;
import moonshot.scheduler.service.RestorePlanner.Plan;
import moonshot.scheduler.service.RestorePlanner.PlannedStep;
import moonshot.scheduler.service.RestorePlanner.Request;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static moonshot.contract.NodeRole.ADMIN;
import static moonshot.contract.NodeRole.BAREMETAL;
import static moonshot.contract.NodeRole.CONTROLLER;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestorePlannerTest {

    static final String HOST = "mh-x";
    static final Instant T0 = Instant.parse("2026-11-01T01:00:00Z");
    static final List<NodeSnapshot> NODES = List.of(new NodeSnapshot(ADMIN, "Admin_node", 33, List.of()),
            new NodeSnapshot(CONTROLLER, "Controller", 34, List.of()),
            new NodeSnapshot(BAREMETAL, "Compute", 35, List.of()));
    static final RestorePlanner.Host KVM = new RestorePlanner.Host(NODES, true);

    static final RestorePlanner.ArtifactCheck ALL_GOOD = (set, roles) -> Optional.empty();

    /** Newest first, as the repository returns them. */
    final List<BackupSet> sets = new ArrayList<>();

    BackupSet set(BackupScope scope, int night, NodeRole failed, boolean retained) {
        List<NodeArtifact> nodes = scope.roles().stream().map(role -> new NodeArtifact(role, vm(role), role != failed,
                role == failed ? null : "/backup/" + night + "/" + vm(role), List.of("52:54:00:0" + night + ":00:0"
                + role.ordinal()), T0.plus(Duration.ofDays(night)), false, 65536L, "ab".repeat(32))).toList();
        var set = new BackupSet(UUID.randomUUID(), HOST, scope, failed == null ? "SUCCEEDED" : "PARTIALLY_FAILED",
                failed == null, retained, T0.plus(Duration.ofDays(night)), nodes);
        sets.add(0, set);
        return set;
    }

    BackupSet set(BackupScope scope, int night) {
        return set(scope, night, null, true);
    }

    static String vm(NodeRole role) {
        return NODES.stream().filter(n -> n.role() == role).findFirst().orElseThrow().vmName();
    }

    Plan plan(NodeRole... failed) {
        return RestorePlanner.plan(new Request(HOST, List.of(failed), null, false), KVM, sets, Optional.empty(), ALL_GOOD);
    }

    Plan planFrom(BackupSet named, NodeRole... failed) {
        return RestorePlanner.plan(new Request(HOST, List.of(failed), named.runId(), false), KVM, sets,
                Optional.of(named), ALL_GOOD);
    }

    static List<PlannedStep> restoreSteps(Plan plan) {
        return plan.steps().stream().filter(s -> s.kind() == RestoreStepKind.RESTORE_NODE).toList();
    }

    @Test
    void onlyAdminFailedRestoresAdminAlone() {
        set(BackupScope.FULL, 1);
        BackupSet admin = set(BackupScope.ADMIN, 2);
        Plan plan = plan(ADMIN);
        assertEquals(List.of(ADMIN), plan.restoredNodes());
        assertEquals(List.of(ADMIN), restoreSteps(plan).stream().map(PlannedStep::role).toList());
        assertEquals(admin.runId(), restoreSteps(plan).get(0).backupSet());
    }

    @Test
    void aFailedControllerRestoresBothPairMembersFromTheNewestSetInWhichBothSucceeded() {
        BackupSet complete = set(BackupScope.PAIR, 1);
        set(BackupScope.PAIR, 2, BAREMETAL, true); // newer, but BAREMETAL failed in it
        set(BackupScope.ADMIN, 3);
        Plan plan = plan(CONTROLLER);
        assertEquals(List.of(CONTROLLER, BAREMETAL), plan.restoredNodes());
        List<PlannedStep> restores = restoreSteps(plan);
        assertEquals(List.of(CONTROLLER, BAREMETAL), restores.stream().map(PlannedStep::role).toList());
        assertEquals(List.of(complete.runId(), complete.runId()), restores.stream().map(PlannedStep::backupSet)
                .toList());
        assertEquals(List.of("52:54:00:01:00:01"), restores.get(0).expectedMacs());
        assertEquals("/backup/1/Compute", restores.get(1).artifactPath());
    }

    @Test
    void refusesToRestoreOnlyOneOfThePair() {
        set(BackupScope.PAIR, 1);
        assertEquals(List.of(CONTROLLER, BAREMETAL), plan(BAREMETAL).restoredNodes());
    }

    @Test
    void adminAndAPairMemberRestoreAllThreeWithAdminFromItsOwnNewestCompleteSet() {
        BackupSet pair = set(BackupScope.PAIR, 1);
        BackupSet admin = set(BackupScope.ADMIN, 2);
        set(BackupScope.FULL, 3, CONTROLLER, true); // the newest FULL set is incomplete: neither part may come from it
        Plan plan = plan(BAREMETAL, ADMIN);
        assertEquals(List.of(ADMIN, CONTROLLER, BAREMETAL), plan.restoredNodes());
        assertEquals(List.of(admin.runId(), pair.runId(), pair.runId()), restoreSteps(plan).stream()
                .map(PlannedStep::backupSet).toList());
    }

    @Test
    void aCompleteFullSetServesBothAdminAndThePair() {
        set(BackupScope.PAIR, 1);
        BackupSet full = set(BackupScope.FULL, 2);
        assertEquals(List.of(full.runId(), full.runId(), full.runId()), restoreSteps(plan(ADMIN, CONTROLLER))
                .stream().map(PlannedStep::backupSet).toList());
    }

    @Test
    void skipsSetsWhoseArtifactsRetentionDeleted() {
        BackupSet kept = set(BackupScope.PAIR, 1);
        set(BackupScope.PAIR, 2, null, false);
        assertEquals(kept.runId(), restoreSteps(plan(CONTROLLER)).get(0).backupSet());
    }

    @Test
    void refusesWhenNoSetHasBothPairMembersSucceeded() {
        set(BackupScope.ADMIN, 1);
        set(BackupScope.PAIR, 2, CONTROLLER, true);
        var refused = assertThrows(RestoreRefused.class, () -> plan(CONTROLLER));
        assertThat(refused.getMessage(), startsWith("no complete backup set with both CONTROLLER and BAREMETAL for "
                + HOST));
        assertThat(refused.getMessage(), containsString("PARTIALLY_FAILED"));
        assertEquals("failedNodes", refused.field());

        var noAdmin = assertThrows(RestoreRefused.class, () -> plan(ADMIN, CONTROLLER));
        assertThat(noAdmin.getMessage(), startsWith("no complete backup set with both CONTROLLER and BAREMETAL"));
        sets.clear();
        assertThat(assertThrows(RestoreRefused.class, () -> plan(ADMIN)).getMessage(),
                startsWith("no complete backup set with ADMIN for " + HOST));
    }

    @Test
    void aNamedSetMustBeThisHostsAndCompleteAndCoverTheNodesAndStillBeKept() {
        BackupSet pair = set(BackupScope.PAIR, 1);
        BackupSet partial = set(BackupScope.PAIR, 2, BAREMETAL, true);
        BackupSet admin = set(BackupScope.ADMIN, 3);
        BackupSet dropped = set(BackupScope.PAIR, 4, null, false);
        set(BackupScope.PAIR, 5);

        assertEquals(pair.runId(), restoreSteps(planFrom(pair, CONTROLLER)).get(1).backupSet(),
                "an older named set is used even though a newer complete one exists");
        assertEquals("backupSet", assertThrows(InvalidRequestException.class, () -> RestorePlanner.plan(
                new Request(HOST, List.of(CONTROLLER), UUID.randomUUID(), false), KVM, sets, Optional.empty(), ALL_GOOD))
                .field());
        var elsewhere = new BackupSet(UUID.randomUUID(), "mh-other", BackupScope.PAIR, "SUCCEEDED", true, true, T0,
                pair.nodes());
        assertThat(assertThrows(InvalidRequestException.class, () -> planFrom(elsewhere, CONTROLLER)).getMessage(),
                containsString("belongs to mh-other"));
        var incomplete = assertThrows(RestoreRefused.class, () -> planFrom(partial, CONTROLLER));
        assertEquals("backupSet", incomplete.field());
        assertThat(incomplete.getMessage(), containsString("not complete (PARTIALLY_FAILED: BAREMETAL"));
        assertThat(assertThrows(RestoreRefused.class, () -> planFrom(admin, CONTROLLER)).getMessage(),
                containsString("does not cover CONTROLLER and BAREMETAL"));
        assertThat(assertThrows(RestoreRefused.class, () -> planFrom(pair, ADMIN, CONTROLLER)).getMessage(),
                containsString("does not cover ADMIN"));
        assertThat(assertThrows(RestoreRefused.class, () -> planFrom(dropped, CONTROLLER)).getMessage(),
                containsString("dropped by retention"));
    }

    @Test
    void thePlanListsEveryStepInOrderPowerOffRestoresPowerOnWithTheDeployedWaits() {
        BackupSet pair = set(BackupScope.PAIR, 1);
        Plan plan = plan(CONTROLLER);
        assertEquals(List.of(RestoreStepKind.POWER_OFF, RestoreStepKind.RESTORE_NODE, RestoreStepKind.RESTORE_NODE,
                RestoreStepKind.POWER_ON), plan.steps().stream().map(PlannedStep::kind).toList());
        assertEquals(List.of(1, 2, 3, 4), plan.steps().stream().map(PlannedStep::number).toList());
        assertThat(plan.steps().get(0).description(), containsString(
                "BAREMETAL Compute, then CONTROLLER Controller, then ADMIN Admin_node"));
        PlannedStep controller = plan.steps().get(1);
        assertEquals(34, controller.vzdumpVmid(), "the VMID comes from inventory");
        assertEquals("remove Controller's files and restore it as VMID 34 from /backup/1/Controller (run "
                + pair.runId() + ", taken " + T0.plus(Duration.ofDays(1)) + "), verify name/id/MACs 52:54:00:01:00:01",
                controller.description());
        assertThat(plan.steps().get(3).description(), containsString("ADMIN Admin_node, then CONTROLLER Controller "
                + "and wait until it is Deployed, then BAREMETAL Compute and wait until it is Deployed"));
        assertNull(plan.steps().get(3).backupSet());
    }

    @Test
    void refusesAKvmRestoreOfANodeWithoutVmidBeforeAnythingIsPoweredOff() {
        set(BackupScope.PAIR, 1);
        var nodes = List.of(NODES.get(0), new NodeSnapshot(CONTROLLER, "Controller", null, List.of()), NODES.get(2));
        var refused = assertThrows(RestoreRefused.class, () -> RestorePlanner.plan(new Request(HOST,
                List.of(BAREMETAL), null, false), new RestorePlanner.Host(nodes, true), sets, Optional.empty(), ALL_GOOD));
        assertThat(refused.getMessage(), containsString("no vzdump VMID for Controller"));
        assertNull(restoreSteps(RestorePlanner.plan(new Request(HOST, List.of(BAREMETAL), null, false),
                new RestorePlanner.Host(nodes, false), sets, Optional.empty(), ALL_GOOD)).get(0).vzdumpVmid(),
                "ESXi restores by name");
    }

    @Test
    void theHypervisorIsPoweredOffLastAndOnFirstOnlyWhenAsked() {
        set(BackupScope.ADMIN, 1);
        Plan plan = RestorePlanner.plan(new Request(HOST, List.of(ADMIN), null, true), KVM, sets, Optional.empty(), ALL_GOOD);
        assertThat(plan.steps().get(0).description(), containsString("ADMIN Admin_node, then the hypervisor"));
        assertThat(plan.steps().get(2).description(), containsString("the hypervisor, then ADMIN Admin_node"));
    }

    @Test
    void aSetWhoseArtifactsFailTheCheckIsPassedOverForTheNextCompleteOneAndThePlanSaysWhy() {
        BackupSet older = set(BackupScope.PAIR, 1);
        BackupSet corrupted = set(BackupScope.PAIR, 2);
        List<List<NodeRole>> asked = new ArrayList<>();
        RestorePlanner.ArtifactCheck check = (set, roles) -> {
            asked.add(roles);
            return set == corrupted ? Optional.of("CONTROLLER /backup/2/Controller changed since the backup")
                    : Optional.empty();
        };
        Plan plan = RestorePlanner.plan(new Request(HOST, List.of(BAREMETAL), null, false), KVM, sets,
                Optional.empty(), check);
        assertEquals(older.runId(), restoreSteps(plan).get(0).backupSet());
        assertEquals(older.runId(), restoreSteps(plan).get(1).backupSet(), "both of the pair from the one set");
        assertEquals(List.of(new RestorePlanner.SkippedSet(corrupted.runId(), List.of(CONTROLLER, BAREMETAL),
                "CONTROLLER /backup/2/Controller changed since the backup")), plan.skipped());
        assertEquals(List.of(List.of(CONTROLLER, BAREMETAL), List.of(CONTROLLER, BAREMETAL)), asked,
                "the pair is checked together, newest set first");
    }

    @Test
    void whenNoCompleteSetPassesTheCheckTheRestoreIsRefusedNamingEveryReason() {
        BackupSet one = set(BackupScope.ADMIN, 1);
        BackupSet two = set(BackupScope.ADMIN, 2);
        var refused = assertThrows(RestoreRefused.class, () -> RestorePlanner.plan(new Request(HOST, List.of(ADMIN),
                null, false), KVM, sets, Optional.empty(), (set, roles) -> Optional.of("gone " + set.runId())));
        assertThat(refused.getMessage(), containsString("nothing was powered off"));
        assertThat(refused.getMessage(), containsString("gone " + one.runId()));
        assertThat(refused.getMessage(), containsString("gone " + two.runId()));
    }

    @Test
    void aNamedSetThatFailsTheCheckIsRefusedNotReplaced() {
        BackupSet named = set(BackupScope.PAIR, 1);
        set(BackupScope.PAIR, 2);
        var refused = assertThrows(RestoreRefused.class, () -> RestorePlanner.plan(new Request(HOST,
                List.of(CONTROLLER), named.runId(), false), KVM, sets, Optional.of(named),
                (set, roles) -> set == named ? Optional.of("BAREMETAL archive is gone") : Optional.empty()));
        assertEquals("backupSet", refused.field());
        assertThat(refused.getMessage(), containsString("BAREMETAL archive is gone"));
    }
}
