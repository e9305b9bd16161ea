package moonshot.scheduler.service;

import moonshot.api.errors.InvalidRequestException;
import moonshot.contract.BackupScope;
import moonshot.contract.NodeRole;
import moonshot.contract.NodeSnapshot;
import moonshot.scheduler.RestoreStepKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The restore rules as a plan: which nodes are restored for the ones that failed, from which
 * backup set, and every step in order. Only ADMIN failed: ADMIN alone. CONTROLLER or BAREMETAL failed: both, from one
 * set in which both succeeded. ADMIN and a pair member: all three (ADMIN may come from another complete set than the
 * pair). The source is the newest complete set still kept by retention, or the set the operator names.
 */
public final class RestorePlanner {

    private static final Set<NodeRole> PAIR = EnumSet.of(NodeRole.CONTROLLER, NodeRole.BAREMETAL);

    private RestorePlanner() {
    }

    /** One node of a backup run as the planner sees it. */
    public record NodeArtifact(NodeRole role, String vmName, boolean succeeded, String artifactPath,
                               List<String> macs, Instant takenAt, boolean deleted, Long sizeBytes, String sha256) {
    }

    /**
     * Checks on the hypervisor, before the plan is made, that a set's artifacts of {@code roles} can still be
     * restored; returns why not, or empty when they can. Read-only.
     */
    @FunctionalInterface
    public interface ArtifactCheck {
        Optional<String> problem(BackupSet set, List<NodeRole> roles);
    }

    /** A newer complete set that the plan passed over, and why. */
    public record SkippedSet(UUID backupSet, List<NodeRole> roles, String reason) {
    }

    /** One backup run (a set) of the host. {@code retained}: retention has not started deleting it. */
    public record BackupSet(UUID runId, String managementHost, BackupScope scope, String state, boolean complete,
                            boolean retained, Instant requestedAt, List<NodeArtifact> nodes) {

        Optional<NodeArtifact> node(NodeRole role) {
            return nodes.stream().filter(n -> n.role() == role).findFirst();
        }

        boolean covers(Collection<NodeRole> roles) {
            return scope.roles().containsAll(roles);
        }

        /** Why this set cannot restore {@code roles}, or empty when it can. */
        Optional<String> unusableFor(Collection<NodeRole> roles) {
            if (!covers(roles)) {
                return Optional.of("backup set " + runId + " (" + scope + ") does not cover " + names(roles.stream()
                        .filter(r -> !scope.roles().contains(r)).toList()));
            }
            if (!complete) {
                return Optional.of("backup set " + runId + " is not complete (" + state + ": " + names(nodes.stream()
                        .filter(n -> !n.succeeded()).map(NodeArtifact::role).toList()) + " did not succeed); a "
                        + "restore needs a set in which every node succeeded");
            }
            if (!retained) {
                return Optional.of("backup set " + runId + " was dropped by retention; its artifacts are deleted");
            }
            List<NodeRole> gone = roles.stream().filter(r -> node(r).map(n -> n.deleted() || n.artifactPath() == null)
                    .orElse(true)).toList();
            if (!gone.isEmpty()) {
                return Optional.of("backup set " + runId + " no longer has an artifact for " + names(gone));
            }
            return Optional.empty();
        }
    }

    public record Request(String managementHost, Collection<NodeRole> failedNodes, UUID backupSet,
                          boolean includeHypervisor) {
    }

    /** The host as inventory knows it: its nodes, and whether its tool restores by vzdump VMID (KVM). */
    public record Host(List<NodeSnapshot> nodes, boolean restoresByVmid) {
    }

    public record PlannedStep(int number, RestoreStepKind kind, NodeRole role, String vmName, UUID backupSet,
                              String artifactPath, Instant takenAt, Integer vzdumpVmid, List<String> expectedMacs,
                              String description) {
    }

    public record Plan(String managementHost, List<NodeRole> failedNodes, List<NodeRole> restoredNodes,
                       boolean includeHypervisor, List<PlannedStep> steps, List<SkippedSet> skipped) {
    }

    /** The nodes restored when {@code failed} failed, in the order they are restored. */
    public static List<NodeRole> nodesToRestore(Collection<NodeRole> failed) {
        Set<NodeRole> restored = EnumSet.noneOf(NodeRole.class);
        if (failed.contains(NodeRole.ADMIN)) {
            restored.add(NodeRole.ADMIN);
        }
        if (failed.stream().anyMatch(PAIR::contains)) {
            restored.addAll(PAIR); // the pair stays consistent: both from one set, never one alone
        }
        return List.copyOf(restored);
    }

    /**
     * Plans the restore.
     *
     * @param host         the host's nodes as inventory knows them (VM names, vzdump VMIDs)
     * @param sets         the host's finished backup runs, newest first
     * @param namedSet     the run named by {@code request.backupSet()}, looked up on any host (empty when unknown)
     * @param check        verifies a candidate set's artifacts on the hypervisor; a set that fails is passed over for
     *                     the next complete one (named in the plan with the reason), or refuses a named set
     * @throws InvalidRequestException (400) for a named set that does not exist or belongs to another host
     * @throws RestoreRefused          (409) when no usable complete set exists (or none whose artifacts pass the check)
     *                                 or the named one cannot be used, or
     *                                 a KVM node to restore has no vzdump VMID in inventory
     */
    public static Plan plan(Request request, Host host, List<BackupSet> sets, Optional<BackupSet> namedSet,
                            ArtifactCheck check) {
        List<NodeSnapshot> hostNodes = host.nodes();
        if (request.failedNodes() == null || request.failedNodes().isEmpty()) {
            throw new InvalidRequestException("failedNodes", "name at least one failed node (ADMIN, CONTROLLER or "
                    + "BAREMETAL)");
        }
        List<NodeRole> failed = List.copyOf(EnumSet.copyOf(request.failedNodes()));
        List<NodeRole> restored = nodesToRestore(failed);
        if (host.restoresByVmid()) {
            // refused now rather than after the whole host was powered off for a restore that cannot run
            List<String> without = restored.stream().map(role -> node(hostNodes, role))
                    .filter(n -> n.vzdumpVmid() == null).map(NodeSnapshot::vmName).toList();
            if (!without.isEmpty()) {
                throw new RestoreRefused("managementHost", "inventory has no vzdump VMID for " + String.join(
                        " and ", without) + " of " + request.managementHost() + "; vzdump restores a VM under its "
                        + "VMID, so set it in inventory first");
            }
        }
        List<SkippedSet> skipped = new ArrayList<>();
        Map<NodeRole, BackupSet> sources = request.backupSet() == null
                ? newestUsable(request.managementHost(), restored, sets, check, skipped)
                : named(request, restored, namedSet, check);

        List<PlannedStep> steps = new ArrayList<>();
        steps.add(new PlannedStep(1, RestoreStepKind.POWER_OFF, null, null, null, null, null, null, null,
                powerOff(request, hostNodes)));
        for (NodeRole role : restored) {
            BackupSet set = sources.get(role);
            NodeArtifact artifact = set.node(role).orElseThrow();
            // only vzdump restores by VMID; ESXi and libvirt-external restore by name (a VMID in inventory is moot there)
            Integer vmid = host.restoresByVmid() ? node(hostNodes, role).vzdumpVmid() : null;
            List<String> macs = artifact.macs() == null || artifact.macs().isEmpty() ? null
                    : List.copyOf(artifact.macs());
            steps.add(new PlannedStep(steps.size() + 1, RestoreStepKind.RESTORE_NODE, role, artifact.vmName(),
                    set.runId(), artifact.artifactPath(), artifact.takenAt(), vmid, macs,
                    restoreNode(artifact, set, vmid, macs)));
        }
        steps.add(new PlannedStep(steps.size() + 1, RestoreStepKind.POWER_ON, null, null, null, null, null, null,
                null, powerOn(request, hostNodes)));
        return new Plan(request.managementHost(), failed, restored, request.includeHypervisor(), List.copyOf(steps),
                List.copyOf(skipped));
    }

    private static Map<NodeRole, BackupSet> newestUsable(String host, List<NodeRole> restored, List<BackupSet> sets,
                                                         ArtifactCheck check, List<SkippedSet> skipped) {
        Map<NodeRole, BackupSet> sources = new EnumMap<>(NodeRole.class);
        // ADMIN and the pair are chosen separately: each from the newest complete set that has it
        List<List<NodeRole>> groups = new ArrayList<>();
        if (restored.contains(NodeRole.ADMIN)) {
            groups.add(List.of(NodeRole.ADMIN));
        }
        if (restored.contains(NodeRole.CONTROLLER)) {
            groups.add(List.copyOf(PAIR));
        }
        for (List<NodeRole> group : groups) {
            List<SkippedSet> passedOver = new ArrayList<>();
            BackupSet chosen = null;
            for (BackupSet set : sets) {
                if (set.unusableFor(group).isPresent()) {
                    continue;
                }
                Optional<String> problem = check.problem(set, group);
                if (problem.isEmpty()) {
                    chosen = set;
                    break;
                }
                passedOver.add(new SkippedSet(set.runId(), group, problem.get()));
            }
            if (chosen == null) {
                String what = group.size() == 2 ? "both CONTROLLER and BAREMETAL" : "ADMIN";
                throw new RestoreRefused("failedNodes", passedOver.isEmpty()
                        ? "no complete backup set with " + what + " for " + host + newestCovering(group, sets)
                        : "no complete backup set with " + what + " for " + host + " can be restored; nothing was "
                        + "powered off: " + passedOver.stream().map(s -> "set " + s.backupSet() + ": " + s.reason())
                        .collect(Collectors.joining("; ")));
            }
            skipped.addAll(passedOver);
            BackupSet source = chosen;
            group.forEach(role -> sources.put(role, source));
        }
        return sources;
    }

    /** Says why the newest set that has the nodes is not usable, so the refusal explains itself. */
    private static String newestCovering(List<NodeRole> group, List<BackupSet> sets) {
        return sets.stream().filter(s -> s.covers(group)).findFirst()
                .flatMap(s -> s.unusableFor(group))
                .map(why -> " (the newest with them: " + why + ")")
                .orElse(" (no backup of them was ever taken)");
    }

    private static Map<NodeRole, BackupSet> named(Request request, List<NodeRole> restored,
                                                  Optional<BackupSet> namedSet, ArtifactCheck check) {
        BackupSet set = namedSet.orElseThrow(() -> new InvalidRequestException("backupSet",
                "no backup set (run) " + request.backupSet()));
        if (!set.managementHost().equals(request.managementHost())) {
            throw new InvalidRequestException("backupSet", "backup set " + set.runId() + " belongs to "
                    + set.managementHost() + ", not to " + request.managementHost());
        }
        set.unusableFor(restored).ifPresent(why -> {
            throw new RestoreRefused("backupSet", why + (restored.size() > 1 && !set.covers(restored)
                    ? " (restoring " + names(request.failedNodes()) + " means restoring " + names(restored) + ")"
                    : ""));
        });
        check.problem(set, restored).ifPresent(why -> {
            throw new RestoreRefused("backupSet", "backup set " + set.runId() + " cannot be restored; nothing was "
                    + "powered off: " + why);
        });
        Map<NodeRole, BackupSet> sources = new EnumMap<>(NodeRole.class);
        restored.forEach(role -> sources.put(role, set));
        return sources;
    }

    private static String powerOff(Request request, List<NodeSnapshot> nodes) {
        return "power off " + request.managementHost() + " (one power sequence): "
                + vm(nodes, NodeRole.BAREMETAL) + ", then " + vm(nodes, NodeRole.CONTROLLER) + ", then "
                + vm(nodes, NodeRole.ADMIN) + (request.includeHypervisor() ? ", then the hypervisor" : "")
                + ", each confirmed off before the next";
    }

    private static String restoreNode(NodeArtifact artifact, BackupSet set, Integer vmid, List<String> macs) {
        return "remove " + artifact.vmName() + "'s files and restore it" + (vmid == null ? "" : " as VMID " + vmid)
                + " from " + artifact.artifactPath() + " (run " + set.runId() + ", taken " + artifact.takenAt()
                + "), verify name/id/MACs " + (macs == null ? "(no MACs were captured with this backup)"
                : String.join(", ", macs));
    }

    private static String powerOn(Request request, List<NodeSnapshot> nodes) {
        return "power on " + request.managementHost() + " (one power sequence): "
                + (request.includeHypervisor() ? "the hypervisor, then " : "") + vm(nodes, NodeRole.ADMIN)
                + ", then " + vm(nodes, NodeRole.CONTROLLER) + " and wait until it is Deployed, then "
                + vm(nodes, NodeRole.BAREMETAL) + " and wait until it is Deployed";
    }

    private static String vm(List<NodeSnapshot> nodes, NodeRole role) {
        return role + " " + node(nodes, role).vmName();
    }

    private static NodeSnapshot node(List<NodeSnapshot> nodes, NodeRole role) {
        return nodes.stream().filter(n -> n.role() == role).findFirst()
                .orElseThrow(() -> new IllegalStateException("inventory sent the host without a " + role + " node"));
    }

    private static String names(Collection<NodeRole> roles) {
        return roles.stream().map(NodeRole::name).collect(Collectors.joining(" and "));
    }
}
