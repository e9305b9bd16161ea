package moonshot.scheduler.saga;

import moonshot.contract.MaintenanceStatus;
import moonshot.contract.NodeRole;
import moonshot.contract.PowerDirection;
import moonshot.contract.PowerSequenceFailed;
import moonshot.contract.PowerSequenceFinished;
import moonshot.contract.StartPowerSequence;
import moonshot.contract.UnusableEventException;
import moonshot.scheduler.BackupRun;
import moonshot.scheduler.MaintenanceKind;
import moonshot.scheduler.MaintenanceState;
import moonshot.scheduler.MaintenanceTicket;
import moonshot.scheduler.NodeBackup;
import moonshot.scheduler.NodeBackupState;
import moonshot.scheduler.RunState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The maintenance saga's decisions on plain objects, with time given by the test. */
class MaintenanceSagaTest {

    static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    static final Duration DEADLINE = Duration.ofHours(4);

    /** What the saga sent, in order: "ready", "blocked", "finished", or "power OFF" / "power ON". */
    final List<String> sent = new ArrayList<>();
    final List<MaintenanceStatus> statuses = new ArrayList<>();
    final List<StartPowerSequence> sequences = new ArrayList<>();
    final MaintenanceSaga saga = new MaintenanceSaga(DEADLINE, new MaintenanceSaga.Effects() {
        public void startPowerSequence(StartPowerSequence command) {
            sent.add("power " + command.direction());
            sequences.add(command);
        }

        public void ready(MaintenanceStatus status) {
            sent.add("ready");
            statuses.add(status);
        }

        public void blocked(MaintenanceStatus status) {
            sent.add("blocked");
            statuses.add(status);
        }

        public void finished(MaintenanceStatus status) {
            sent.add("finished");
            statuses.add(status);
        }
    });

    @Test
    void withoutPowerOffABackedUpTicketIsReadyAndCompletedFinishesIt() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.SCHEDULED, false);
        BackupRun run = run(ticket, RunState.SUCCEEDED);

        assertTrue(saga.backupFinished(ticket, run, T0.plusSeconds(600)));
        assertEquals(MaintenanceState.READY, ticket.state);
        assertEquals(new MaintenanceStatus("mh", "CHG-1", run.id, null), statuses.get(0));

        assertTrue(saga.completed(ticket, T0.plusSeconds(3600)));
        assertEquals(MaintenanceState.FINISHED, ticket.state);
        assertEquals(T0.plusSeconds(3600), ticket.updatedAt);
        assertEquals(List.of("ready", "finished"), sent, "nothing is powered");
    }

    @Test
    void withPowerOffItIsReadyOnlyOnceThePowerOffFinishedAndCompletedPowersItOnBeforeFinished() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        assertEquals(List.of("power OFF"), sent);
        assertEquals(MaintenanceState.POWERING_OFF, ticket.state);
        StartPowerSequence off = sequences.get(0);
        assertEquals(ticket.powerOffSequenceId, off.sequenceId());
        assertFalse(off.includeHypervisor());
        assertEquals("maintenance ticket CHG-1 (ops@example.com)", off.requestedBy());

        saga.powerSequenceFinished(ticket, new PowerSequenceFinished(off.sequenceId(), "mh", PowerDirection.OFF),
                T0.plusSeconds(900));
        assertEquals(MaintenanceState.READY, ticket.state);

        saga.completed(ticket, T0.plusSeconds(3600));
        assertEquals(MaintenanceState.POWERING_ON, ticket.state);
        assertEquals(List.of("power OFF", "ready", "power ON"), sent);
        StartPowerSequence on = sequences.get(1);
        saga.powerSequenceFinished(ticket, new PowerSequenceFinished(on.sequenceId(), "mh", PowerDirection.ON),
                T0.plusSeconds(4000));
        assertEquals(MaintenanceState.FINISHED, ticket.state);
        assertEquals(List.of("power OFF", "ready", "power ON", "finished"), sent);
    }

    @Test
    void aFailedBackupBlocksTheTicketWithEachFailedNodesMessage() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.HOTFIX, true);
        BackupRun run = run(ticket, RunState.PARTIALLY_FAILED);
        run.nodes.get(1).state = NodeBackupState.FAILED;
        run.nodes.get(1).message = "exited 1: ERROR: No space left on device";

        saga.backupFinished(ticket, run, T0.plusSeconds(600));

        assertEquals(MaintenanceState.BLOCKED, ticket.state);
        assertEquals(List.of("blocked"), sent, "a ticket whose backup failed powers nothing off");
        assertEquals("backup run " + run.id + " ended PARTIALLY_FAILED: CONTROLLER (Ctrl): exited 1: ERROR: No space "
                + "left on device", statuses.get(0).reason());
    }

    @Test
    void aBackupThatCannotStartBlocksTheTicketButOnlyNotesItOnABaseline() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.SCHEDULED, false);
        saga.backupRefused(ticket, "management host mh already has run 42", T0);
        assertEquals(MaintenanceState.BLOCKED, ticket.state);
        assertEquals("the FULL backup could not start: management host mh already has run 42",
                statuses.get(0).reason());

        MaintenanceTicket baseline = ticket(MaintenanceKind.DEPLOYMENT, false);
        saga.backupRefused(baseline, "busy", T0);
        assertEquals(MaintenanceState.BASELINE, baseline.state);
        assertEquals("the FULL backup could not start: busy", baseline.reason);
        assertEquals(List.of("blocked"), sent, "no status is due for a baseline");
    }

    @Test
    void aBaselineWaitsForNothingAfterItsBackup() {
        MaintenanceTicket baseline = ticket(MaintenanceKind.DEPLOYMENT, true);
        assertFalse(saga.backupFinished(baseline, run(baseline, RunState.SUCCEEDED), T0.plusSeconds(600)));
        assertEquals(MaintenanceState.BASELINE, baseline.state);
        assertEquals(List.of(), sent);
        assertThrows(UnusableEventException.class, () -> saga.completed(baseline, T0.plusSeconds(700)));
    }

    @Test
    void aHaltedPowerOffBlocksTheTicketWithTheStepAndCompletedThenPowersTheHostOnAgain() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        UUID off = ticket.powerOffSequenceId;
        saga.powerSequenceFailed(ticket, new PowerSequenceFailed(off, "mh", PowerDirection.OFF,
                "CONTROLLER (Ctrl)", "still ON after a hard power-off"), T0.plusSeconds(900));

        assertEquals(MaintenanceState.BLOCKED, ticket.state);
        assertEquals("the power-off sequence " + off + " halted at CONTROLLER (Ctrl): still ON after a hard power-off",
                statuses.get(0).reason());
        assertTrue(ticket.holdsPower(), "part of the host may be off");

        saga.completed(ticket, T0.plusSeconds(3600));
        assertEquals(MaintenanceState.POWERING_ON, ticket.state);
        assertNull(ticket.reason);
        assertEquals(List.of("power OFF", "blocked", "power ON"), sent);
    }

    @Test
    void aHaltedPowerOnBlocksTheTicketAndAnotherCompletedSendsANewPowerOnIgnoringTheOldOnesLateAnswer() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        saga.powerSequenceFinished(ticket, new PowerSequenceFinished(ticket.powerOffSequenceId, "mh",
                PowerDirection.OFF), T0.plusSeconds(900));
        saga.completed(ticket, T0.plusSeconds(3600));
        UUID firstOn = ticket.powerOnSequenceId;
        saga.powerSequenceFailed(ticket, new PowerSequenceFailed(firstOn, "mh", PowerDirection.ON, "BAREMETAL (Bm)",
                "not Deployed within PT30M"), T0.plusSeconds(5400));
        assertEquals(MaintenanceState.BLOCKED, ticket.state);

        saga.completed(ticket, T0.plusSeconds(6000));
        UUID secondOn = ticket.powerOnSequenceId;
        assertFalse(firstOn.equals(secondOn), "a new power-on sequence");
        assertFalse(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(firstOn, "mh", PowerDirection.ON),
                T0.plusSeconds(6001)), "the first power-on is no longer the one the ticket waits for");
        assertEquals(MaintenanceState.POWERING_ON, ticket.state);
        assertTrue(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(secondOn, "mh", PowerDirection.ON),
                T0.plusSeconds(7000)));
        assertEquals(MaintenanceState.FINISHED, ticket.state);
        assertEquals(List.of("power OFF", "ready", "power ON", "blocked", "power ON", "finished"), sent);
    }

    @Test
    void aRepeatedCompletedHasNoSecondEffectAndAnEarlyOneIsRefused() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.SCHEDULED, false);
        var early = assertThrows(UnusableEventException.class, () -> saga.completed(ticket, T0.plusSeconds(1)));
        assertEquals("ticket CHG-1 is BACKING_UP; it cannot be completed before it is ready (or blocked)",
                early.getMessage());

        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        assertTrue(saga.completed(ticket, T0.plusSeconds(3600)));
        assertFalse(saga.completed(ticket, T0.plusSeconds(3700)));
        assertEquals(List.of("ready", "finished"), sent);
        assertEquals(T0.plusSeconds(3600), ticket.updatedAt);
    }

    @Test
    void anAnswerToASequenceTheTicketDoesNotWaitForChangesNothing() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        UUID off = ticket.powerOffSequenceId;

        assertFalse(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(off, "mh", PowerDirection.ON),
                T0.plusSeconds(700)), "the wrong direction");
        assertFalse(saga.powerSequenceFailed(ticket, new PowerSequenceFailed(UUID.randomUUID(), "mh",
                PowerDirection.OFF, "ADMIN (Admin)", "x"), T0.plusSeconds(701)), "another sequence");
        assertTrue(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(off, "mh", PowerDirection.OFF),
                T0.plusSeconds(702)));
        assertFalse(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(off, "mh", PowerDirection.OFF),
                T0.plusSeconds(703)), "the same answer again");
        assertEquals(List.of("power OFF", "ready"), sent);
    }

    @Test
    void aTicketWhosePowerOffGetsNoAnswerByItsDeadlineIsBlockedWithTheSequenceAndStillHoldsThePower() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.opened(ticket, T0);
        assertEquals(T0.plus(DEADLINE), ticket.deadlineAt, "from its arrival, for the backup and the power-off");
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        assertEquals(T0.plus(DEADLINE), ticket.deadlineAt, "the power-off shares the backup's deadline");

        assertFalse(saga.overdue(ticket, T0.plus(DEADLINE).minusMillis(1)));
        assertTrue(saga.overdue(ticket, T0.plus(DEADLINE)));

        assertEquals(MaintenanceState.BLOCKED, ticket.state);
        assertEquals(List.of("power OFF", "blocked"), sent);
        assertEquals("power-service did not answer the power-off sequence " + ticket.powerOffSequenceId
                + " within PT4H (deadline " + T0.plus(DEADLINE) + ")", statuses.get(0).reason());
        assertTrue(ticket.holdsPower(), "part of the host may be off: completed powers it on again");
        assertFalse(saga.powerSequenceFinished(ticket, new PowerSequenceFinished(ticket.powerOffSequenceId, "mh",
                PowerDirection.OFF), T0.plus(DEADLINE).plusSeconds(1)), "the late answer changes nothing");
        assertFalse(saga.overdue(ticket, T0.plus(DEADLINE).plusSeconds(2)), "a blocked ticket waits for nothing");
    }

    @Test
    void completedGivesThePowerOnItsOwnDeadlineAndAReadyTicketHasNoneToMiss() {
        MaintenanceTicket ticket = ticket(MaintenanceKind.UPGRADE, true);
        saga.opened(ticket, T0);
        saga.backupFinished(ticket, run(ticket, RunState.SUCCEEDED), T0.plusSeconds(600));
        saga.powerSequenceFinished(ticket, new PowerSequenceFinished(ticket.powerOffSequenceId, "mh",
                PowerDirection.OFF), T0.plusSeconds(900));
        assertFalse(saga.overdue(ticket, T0.plus(Duration.ofDays(3))), "ready: the maintenance takes what it takes");

        Instant completed = T0.plus(Duration.ofDays(3));
        saga.completed(ticket, completed);
        assertEquals(completed.plus(DEADLINE), ticket.deadlineAt);
        assertTrue(saga.overdue(ticket, completed.plus(DEADLINE)));
        assertEquals("power-service did not answer the power-on sequence " + ticket.powerOnSequenceId
                + " within PT4H (deadline " + completed.plus(DEADLINE) + ")", statuses.get(1).reason());
        assertEquals(List.of("power OFF", "ready", "power ON", "blocked"), sent);
    }

    @Test
    void aBaselineGetsNoDeadline() {
        MaintenanceTicket baseline = ticket(MaintenanceKind.DEPLOYMENT, false);
        saga.opened(baseline, T0);
        assertNull(baseline.deadlineAt);
        assertFalse(saga.overdue(baseline, T0.plus(Duration.ofDays(1))));
    }

    // --- helpers

    private static MaintenanceTicket ticket(MaintenanceKind kind, boolean powerOff) {
        var ticket = new MaintenanceTicket();
        ticket.id = UUID.randomUUID();
        ticket.managementHost = "mh";
        ticket.ticket = "CHG-1";
        ticket.kind = kind;
        ticket.powerOff = powerOff;
        ticket.requestedBy = "ops@example.com";
        ticket.state = kind.keepsBaseline() ? MaintenanceState.BASELINE : MaintenanceState.BACKING_UP;
        ticket.receivedAt = T0;
        ticket.updatedAt = T0;
        ticket.backupRunId = UUID.randomUUID();
        return ticket;
    }

    /** The ticket's FULL run, ended {@code state}, every node succeeded (a test marks the ones that failed). */
    private static BackupRun run(MaintenanceTicket ticket, RunState state) {
        var run = new BackupRun();
        run.id = ticket.backupRunId;
        run.managementHost = ticket.managementHost;
        run.state = state;
        for (var node : List.of(NodeRole.ADMIN, NodeRole.CONTROLLER, NodeRole.BAREMETAL)) {
            var backup = new NodeBackup();
            backup.run = run;
            backup.role = node;
            backup.vmName = switch (node) {
                case ADMIN -> "Admin";
                case CONTROLLER -> "Ctrl";
                case BAREMETAL -> "Bm";
            };
            backup.state = NodeBackupState.SUCCEEDED;
            run.nodes.add(backup);
        }
        return run;
    }
}
