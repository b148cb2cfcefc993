import { AKS_UPGRADE_RULE, calendarEntry, describeMaintenanceWindow, MAINTENANCE_CONFIGURATION_NAMES, recoveryTarget, versionChange, type VersionChange } from "../../core/azure";
import { AKS_DEFAULT_MAX_SURGE, type ClusterLifecycle } from "./lifecycleReport";

/**
 * The security diff's Kubernetes section: what a change of `cluster.kubernetesVersion` between the base and the head
 * asks AKS to do. One minor up is explained (control plane and pools, surge, when AKS applies patches afterwards); a
 * skipped minor or a downgrade is a blocker under `--fail-on mandatory`, with AKS's rule quoted. A self-contained
 * section: cli/diff.ts prints it after the security diff.
 */
export interface KubernetesUpgrade {
    readonly from: string;
    readonly to: string;
    readonly change: VersionChange["kind"];
    /** Why the change cannot be applied (a skip or a downgrade), with AKS's rule; undefined when it can. */
    readonly blocker?: string;
    /** The explanation, one line each. */
    readonly lines: readonly string[];
}

/** Compares the two sides' lifecycles; undefined when the version did not change (or a side predates the lifecycle). */
export function kubernetesUpgrade(before: ClusterLifecycle | undefined, after: ClusterLifecycle | undefined): KubernetesUpgrade | undefined {
    if (!before || !after || before.kubernetesVersion === after.kubernetesVersion) return undefined;
    const from = before.kubernetesVersion;
    const to = after.kubernetesVersion;
    const change = versionChange(from, to);
    // Past its end of life, with the next minor out of support too, AKS lets the cluster jump to the lowest supported
    // minor (its "unsupported recovery path", core/azure/aksVersions.ts recoveryTarget): explained, not blocked.
    const recovery = change.kind === "skip" && recoveryTarget(from, after.judgedOn) === to;
    if (change.kind === "skip" && !recovery) {
        const skipped = change.skipped.length > 0 ? `skips ${change.skipped.join(", ")}` : "changes the major version";
        return { from, to, change: change.kind, blocker: `Kubernetes ${from} -> ${to} ${skipped}: upgrade one minor at a time (${from} -> ${nextStep(from)} first). AKS: "${AKS_UPGRADE_RULE}"`, lines: [] };
    }
    if (change.kind === "downgrade") {
        return { from, to, change: change.kind, blocker: `Kubernetes ${from} -> ${to} is a downgrade, which AKS refuses. AKS: "${AKS_UPGRADE_RULE}"`, lines: [] };
    }
    const [system, ...userPools] = after.pools;
    const lines = [
        recovery
            ? `recovery ${from} -> ${to}: ${from} and the minors up to ${to} are out of AKS standard support on ${after.judgedOn}; AKS lets an unsupported cluster jump to the lowest supported minor, as an unsupported recovery path (AKS docs, Supported Kubernetes versions, FAQ)`
            : `${change.kind === "upgrade" ? "upgrade" : "patch change"} ${from} -> ${to}: ${change.kind === "upgrade" ? "one minor, as AKS requires" : "same minor"}`,
        `1. the control plane, with the ${system ? `${system.mode.toLowerCase()} pool ${system.name} (orchestratorVersion ${system.orchestratorVersion ?? "unset"})` : "cluster's inline pool"} in the same cluster update`,
        ...userPools.map((pool, index) => `${index + 2}. user pool ${pool.name} (AgentPool orchestratorVersion ${pool.orchestratorVersion ?? "unset"}), after the control plane`),
        `surge: each pool adds ${[...new Set(after.pools.map((pool) => pool.maxSurge ?? `${AKS_DEFAULT_MAX_SURGE} (AKS default)`))].join(" / ")} extra nodes, then cordons, drains and reimages its nodes one batch at a time (PodDisruptionBudgets apply)`,
        `when: at the pulumi up that applies this change (dev first: its windows come first, it is the canary); afterwards AKS keeps patches current on the ${after.upgradeChannel} channel in ${windowOf(after, MAINTENANCE_CONFIGURATION_NAMES.kubernetesUpgrades)} and node images (${after.nodeOsUpgradeChannel}) in ${windowOf(after, MAINTENANCE_CONFIGURATION_NAMES.nodeImageUpgrades)}`,
    ];
    const calicoBefore = calendarEntry(from)?.calico;
    const calicoAfter = calendarEntry(to)?.calico;
    if (calicoBefore !== calicoAfter) {
        lines.push(`Calico follows the version: ${calicoBefore ?? "not listed"} -> ${calicoAfter ?? "not listed by AKS yet"} (AKS-managed tigera-operator)`);
    }
    return { from, to, change: change.kind, lines };
}

function nextStep(version: string): string {
    const [major, minor] = version.split(".").map(Number);
    return `${major}.${minor! + 1}`;
}

function windowOf(lifecycle: ClusterLifecycle, name: string): string {
    const entry = lifecycle.maintenance.find((candidate) => candidate.name === name);
    return entry ? `${name} (${describeMaintenanceWindow(entry.window)})` : `no ${name} window (any time)`;
}

/** The section as text or Markdown. */
export function formatKubernetesUpgrade(upgrade: KubernetesUpgrade, format: "text" | "md"): string {
    const title = upgrade.blocker ? `blocks merge: Kubernetes ${upgrade.from} -> ${upgrade.to}` : `Kubernetes ${upgrade.from} -> ${upgrade.to}`;
    const body = upgrade.blocker ? [upgrade.blocker] : [...upgrade.lines];
    if (format === "md") {
        return [`#### ${title}`, "", ...body.map((line) => (/^\d+\. /.test(line) ? line : `- ${line}`)), ""].join("\n");
    }
    return [`${title}:`, ...body.map((line) => `  ${line}`), ""].join("\n");
}
