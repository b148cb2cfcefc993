import { describe, expect, it } from "vitest";
import { AKS_UPGRADE_RULE } from "../../core/azure";
import { formatKubernetesUpgrade, kubernetesUpgrade, type ClusterLifecycle } from "../../offline/report";

/** A plan's lifecycle section as prod's would read on a given version (the shape `npm run plan --format json` prints). */
function lifecycle(version: string, judgedOn = "2026-12-07"): ClusterLifecycle {
    return {
        kubernetesVersion: version,
        judgedOn,
        support: { level: "ok", message: "" },
        upgradeChannel: "patch",
        nodeOsUpgradeChannel: "NodeImage",
        pools: [
            { name: "system", mode: "System", orchestratorVersion: version, maxSurge: null },
            { name: "apps", mode: "User", orchestratorVersion: version, maxSurge: null },
        ],
        maintenance: [
            { name: "aksManagedAutoUpgradeSchedule", window: { dayOfWeek: "Wednesday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 } },
            { name: "aksManagedNodeOSUpgradeSchedule", window: { dayOfWeek: "Thursday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 } },
        ],
        placeholders: [],
    };
}

describe("the security diff's Kubernetes section", () => {
    it("says nothing when the version stays", () => {
        expect(kubernetesUpgrade(lifecycle("1.36"), lifecycle("1.36"))).toBeUndefined();
    });

    it("explains 1.35 -> 1.36 as an upgrade: control plane with the system pool, then each user pool, surge, and the windows", () => {
        const upgrade = kubernetesUpgrade(lifecycle("1.35"), lifecycle("1.36"))!;
        expect(upgrade.change).toBe("upgrade");
        expect(upgrade.blocker).toBeUndefined();
        expect(formatKubernetesUpgrade(upgrade, "text")).toBe([
            "Kubernetes 1.35 -> 1.36:",
            "  upgrade 1.35 -> 1.36: one minor, as AKS requires",
            "  1. the control plane, with the system pool system (orchestratorVersion 1.36) in the same cluster update",
            "  2. user pool apps (AgentPool orchestratorVersion 1.36), after the control plane",
            "  surge: each pool adds 10% (AKS default) extra nodes, then cordons, drains and reimages its nodes one batch at a time (PodDisruptionBudgets apply)",
            "  when: at the pulumi up that applies this change (dev first: its windows come first, it is the canary); afterwards AKS keeps patches current on the patch channel in aksManagedAutoUpgradeSchedule (Wednesday 01:00-05:00 UTC+00:00 (4 h), every week) and node images (NodeImage) in aksManagedNodeOSUpgradeSchedule (Thursday 01:00-05:00 UTC+00:00 (4 h), every week)",
            "",
        ].join("\n"));
    });

    it("names the Calico version that comes with the new Kubernetes version when AKS lists another", () => {
        expect(kubernetesUpgrade(lifecycle("1.34"), lifecycle("1.35"))!.lines.at(-1)).toBe(
            "Calico follows the version: tigera-operator 1.38.8 (Calico 3.30.x) -> tigera-operator 1.40.2 (Calico 3.31.x) (AKS-managed tigera-operator)",
        );
    });

    it("blocks 1.35 -> 1.37 (a skipped minor) and 1.36 -> 1.35 (a downgrade), quoting AKS's rule", () => {
        const skip = kubernetesUpgrade(lifecycle("1.35"), lifecycle("1.37"))!;
        expect(skip.change).toBe("skip");
        expect(skip.blocker).toBe(`Kubernetes 1.35 -> 1.37 skips 1.36: upgrade one minor at a time (1.35 -> 1.36 first). AKS: "${AKS_UPGRADE_RULE}"`);
        expect(AKS_UPGRADE_RULE).toContain("Kubernetes minor versions cannot be skipped");
        expect(formatKubernetesUpgrade(skip, "md").split("\n")[0]).toBe("#### blocks merge: Kubernetes 1.35 -> 1.37");
        const down = kubernetesUpgrade(lifecycle("1.36"), lifecycle("1.35"))!;
        expect(down.change).toBe("downgrade");
        expect(down.blocker).toContain("is a downgrade, which AKS refuses");
        expect(down.blocker).toContain("You can't downgrade the control plane or a node pool Kubernetes version.");
    });

    it("lets a cluster whose version and the next are both past end of life jump to the lowest supported minor (AKS's recovery path), and nothing further", () => {
        // Calendar (AKS docs): 1.36 ends 2027-06-30, 1.37 ends 2027-10-31, 1.38 is not in the calendar yet; so use
        // 1.35 (ends 2027-03-31) on a day when 1.36 is out of support too, 1.37 in: 2027-07-15.
        const recovery = kubernetesUpgrade(lifecycle("1.35"), lifecycle("1.37", "2027-07-15"))!;
        expect(recovery.change).toBe("skip");
        expect(recovery.blocker).toBeUndefined();
        expect(recovery.lines[0]).toBe("recovery 1.35 -> 1.37: 1.35 and the minors up to 1.37 are out of AKS standard support on 2027-07-15; AKS lets an unsupported cluster jump to the lowest supported minor, as an unsupported recovery path (AKS docs, Supported Kubernetes versions, FAQ)");
        // While 1.36 is still supported, the same skip is refused: one minor at a time.
        expect(kubernetesUpgrade(lifecycle("1.35"), lifecycle("1.37", "2027-06-30"))!.blocker).toContain("skips 1.36");
    });

    it("reads plans that predate the section as no change", () => {
        expect(kubernetesUpgrade(undefined, lifecycle("1.36"))).toBeUndefined();
    });
});
