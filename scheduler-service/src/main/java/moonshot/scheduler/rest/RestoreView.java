package moonshot.scheduler.rest;

import moonshot.contract.NodeRole;
import moonshot.scheduler.Restore;
import moonshot.scheduler.RestoreState;
import moonshot.scheduler.RestoreStepKind;
import moonshot.scheduler.RestoreStepState;
import moonshot.scheduler.service.RestorePlanner;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A restore with its steps, their states and timestamps. */
public record RestoreView(UUID id, String managementHost, List<NodeRole> failedNodes, List<NodeRole> restoredNodes,
                          boolean includeHypervisor, String requestedBy, RestoreState state, Integer failedStep,
                          String reason, Instant createdAt, Instant updatedAt, Instant finishedAt,
                          List<StepView> steps) {

    public record StepView(int number, RestoreStepKind kind, NodeRole role, String vmName, String description,
                           UUID backupSet, String artifactPath, Instant takenAt, Integer vzdumpVmid,
                           List<String> expectedMacs, RestoreStepState state, UUID commandId, int attempts,
                           Instant sentAt, Instant deadlineAt, Instant finishedAt, String reason,
                           String restoredVmId,
                           List<String> restoredMacs) {
    }

    static RestoreView of(Restore r) {
        return new RestoreView(r.id, r.managementHost, r.failedNodes, r.restoredNodes, r.includeHypervisor,
                r.requestedBy, r.state, r.failedStep, r.reason, r.createdAt, r.updatedAt, r.finishedAt,
                r.steps.stream().map(s -> new StepView(s.number, s.kind, s.role, s.vmName, s.description,
                        s.backupRunId, s.artifactPath, s.takenAt, s.vzdumpVmid, s.expectedMacs, s.state,
                        s.commandId, s.attempts, s.sentAt, s.deadlineAt, s.finishedAt, s.reason, s.restoredVmId,
                        s.restoredMacs)).toList());
    }

    /** A dry run's answer: the plan, every step in order; nothing was recorded or sent. */
    public record PlanView(boolean dryRun, String managementHost, List<NodeRole> failedNodes,
                           List<NodeRole> restoredNodes, boolean includeHypervisor,
                           List<RestorePlanner.PlannedStep> steps, List<RestorePlanner.SkippedSet> skippedSets) {

        static PlanView of(RestorePlanner.Plan plan) {
            return new PlanView(true, plan.managementHost(), plan.failedNodes(), plan.restoredNodes(),
                    plan.includeHypervisor(), plan.steps(), plan.skipped());
        }
    }
}
