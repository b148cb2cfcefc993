import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { driftCommand, DRIFT_INPUT_ERRORS } from "../../cli/drift";
import { runCommand } from "../../cli/common/command";
import { judgeVersionSupport } from "../../core/azure";
import { judgeDrift, type PreviewStep } from "../../offline/report";
import type { CapturedResource, MockRun } from "../../offline/runtime";
import { applyIgnoreChanges } from "../helpers/ignoreChanges";
import { ofType, single } from "../helpers/stack";
import { widestLine } from "../helpers/width";

/**
 * A year of Azure, refreshed into the state: what a daily `pulumi preview --refresh` sees for the cluster and its user
 * pool. Built from azure-native's refresh (core/azure/refreshDrift.ts): the stored inputs are the program's, plus what
 * Azure changed since the last update, with added array elements copied in as Azure lists them. Runs on the prod
 * stack's mocked run (test/stack/prod.test.ts), so that the program runs once for both.
 */
let cluster: CapturedResource;
let apps: CapturedResource;

/** Plain JSON, as `pulumi preview --json` prints inputs. */
function json<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** The cluster's and the pool's stored inputs after a refresh, with `edit` applied to Azure's side. */
function refreshed(edit: (azure: { cluster: Record<string, any>; apps: Record<string, any> }) => void = () => undefined) {
    const declaredCluster = json(cluster.inputs) as Record<string, any>;
    const declaredApps = json(apps.inputs) as Record<string, any>;
    // Azure lists every pool (the system pool, created with the cluster, first: the stack's ignoreChanges relies on it;
    // the test below turns the order round), the one an AgentPool owns
    // with the defaults AKS filled in; the autoscaler moved both counts; the patch channel wrote the running patch into
    // the versions (Azure/AKS#3573); a policy added a tag and the Defender profile; AKS filled the kubelet identity.
    // Read-only values (currentKubernetesVersion, nodeImageVersion, provisioningState, fqdn) are no inputs: never here.
    const { resourceGroupName: _group, resourceName: _cluster, agentPoolName, ...appsProfile } = declaredApps;
    const patched = `${declaredCluster.kubernetesVersion}.4`;
    const azure = {
        cluster: {
            ...declaredCluster,
            kubernetesVersion: patched,
            agentPoolProfiles: [
                { ...declaredCluster.agentPoolProfiles[0], count: 4, orchestratorVersion: patched },
                { ...appsProfile, name: agentPoolName, count: 7, orchestratorVersion: patched, osDiskSizeGB: 128, osDiskType: "Managed", osSKU: "Ubuntu", upgradeSettings: { maxSurge: "10%" } },
            ],
            securityProfile: { ...declaredCluster.securityProfile, defender: { securityMonitoring: { enabled: true } } },
            tags: { ...declaredCluster.tags, "cost-center": "from-azure-policy" },
            identityProfile: { kubeletidentity: { resourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-agentpool" } },
        },
        apps: { ...declaredApps, count: 9, orchestratorVersion: patched, tags: { ...declaredApps.tags, "cost-center": "from-azure-policy" } },
    };
    edit(azure);
    return { declaredCluster, declaredApps, azure };
}

/** The preview's steps: new inputs are the program's with ignoreChanges applied against the stored ones. */
function previewSteps(state: ReturnType<typeof refreshed>): PreviewStep[] {
    const step = (resource: CapturedResource, declared: Record<string, unknown>, stored: Record<string, unknown>): PreviewStep => ({
        op: "update",
        urn: `urn:pulumi:prod::aks-zero-trust::${resource.type}::${resource.name}`,
        oldState: { type: resource.type, inputs: stored },
        newState: { type: resource.type, inputs: applyIgnoreChanges(declared, stored, resource.ignoreChanges) },
    });
    return [step(cluster, state.declaredCluster, state.azure.cluster), step(apps, state.declaredApps, state.azure.apps)];
}

/** The refreshed-preview tests, on a stack's run (`getRun` is read once the run exists). */
export function describeRefreshedPreview(getRun: () => MockRun): void {
describe("a refreshed preview after a year of Azure (the daily drift check)", () => {
    beforeAll(() => {
        const run = getRun();
        cluster = single(run, "azure-native:containerservice:ManagedCluster");
        apps = ofType(run, "azure-native:containerservice:AgentPool").find((pool) => pool.inputs.agentPoolName === "apps")!;
    });

    it("is quiet: autoscaled counts are ignored, the user pool is owned by its AgentPool, the patch channel's versions and Azure's additions are notes", () => {
        expect(cluster.ignoreChanges).toEqual(["agentPoolProfiles[0].count"]);
        expect(apps.ignoreChanges).toEqual(["count"]);
        const report = judgeDrift(previewSteps(refreshed()));
        expect(report.drift.join("\n")).toBe("");
        const sameMinor = "a patch of the declared 1.36 (its patch channel; pulumi up sends 1.36 back, which AKS does not treat as a change)";
        expect(report.notes).toEqual([
            `aks-cluster (azure-native:containerservice:ManagedCluster): agentPoolProfiles[system].orchestratorVersion: AKS runs 1.36.4, ${sameMinor}`,
            "aks-cluster (azure-native:containerservice:ManagedCluster): agentPoolProfiles[apps] is owned by its AgentPool resource",
            `aks-cluster (azure-native:containerservice:ManagedCluster): kubernetesVersion: AKS runs 1.36.4, ${sameMinor}`,
            "aks-cluster (azure-native:containerservice:ManagedCluster): securityProfile.defender is set in Azure but not by the program (pulumi up does not send it)",
            "aks-cluster (azure-native:containerservice:ManagedCluster): tags.cost-center is set in Azure but not by the program (pulumi up does not send it)",
            "aks-cluster (azure-native:containerservice:ManagedCluster): identityProfile is set in Azure but not by the program (pulumi up does not send it)",
            `aks-pool-apps (azure-native:containerservice:AgentPool): orchestratorVersion: AKS runs 1.36.4, ${sameMinor}`,
            "aks-pool-apps (azure-native:containerservice:AgentPool): tags.cost-center is set in Azure but not by the program (pulumi up does not send it)",
        ]);
    });

    it("reports a cluster AKS moved to another minor (its own upgrade of a version leaving platform support): pulumi up would ask for a downgrade", () => {
        const report = judgeDrift(previewSteps(refreshed((azure) => {
            azure.cluster.kubernetesVersion = "1.38.2";
            for (const pool of azure.cluster.agentPoolProfiles) pool.orchestratorVersion = "1.38.2";
            azure.apps.orchestratorVersion = "1.38.2";
        })));
        const downgrade = "Azure runs 1.38.2, the program declares 1.36: pulumi up would ask AKS for a downgrade, which it refuses; set cluster.kubernetesVersion to 1.38";
        expect(report.drift).toEqual([
            `aks-cluster (azure-native:containerservice:ManagedCluster): agentPoolProfiles[system].orchestratorVersion: ${downgrade}`,
            `aks-cluster (azure-native:containerservice:ManagedCluster): kubernetesVersion: ${downgrade}`,
            `aks-pool-apps (azure-native:containerservice:AgentPool): orchestratorVersion: ${downgrade}`,
        ]);
    });

    it("reports what someone changed by hand in a value the program declares", () => {
        const report = judgeDrift(previewSteps(refreshed((azure) => {
            azure.cluster.apiServerAccessProfile = { authorizedIPRanges: ["0.0.0.0/0"] };
            azure.cluster.agentPoolProfiles[0].maxCount = 10;
            azure.apps.orchestratorVersion = "1.35";
        })));
        expect(report.drift).toEqual([
            expect.stringMatching(/^aks-cluster \(azure-native:containerservice:ManagedCluster\): agentPoolProfiles\[system\]\.maxCount: Azure has 10, the program declares 5$/),
            expect.stringMatching(/^aks-cluster \(azure-native:containerservice:ManagedCluster\): apiServerAccessProfile\.authorizedIPRanges: Azure has \["0\.0\.0\.0\/0"\], the program declares \[/),
            "aks-pool-apps (azure-native:containerservice:AgentPool): orchestratorVersion: Azure runs 1.35, the program declares 1.36",
        ]);
    });

    it("reports the system pool's count a pulumi up would send when Azure lists another pool first (ignoreChanges keeps [0].count by index)", () => {
        const report = judgeDrift(previewSteps(refreshed((azure) => azure.cluster.agentPoolProfiles.reverse())));
        // The preview's inputs carry apps' 7 nodes on the system pool (maxCount 5), which runs 4: a real update would send them.
        expect(report.drift).toEqual([
            "aks-cluster (azure-native:containerservice:ManagedCluster): agentPoolProfiles[system].count: pulumi up would send 7 for pool system, which runs 4: Azure lists pool apps first, and ignoreChanges keeps agentPoolProfiles[0].count by index; leave the cluster out of pulumi up (--exclude its URN) until the stack ignores the count by name (README, Operating)",
        ]);
    });

    it("reports a pool in Azure that no resource of the stack declares, and any resource to create or delete", () => {
        const report = judgeDrift([
            ...previewSteps(refreshed((azure) => azure.cluster.agentPoolProfiles.push({ name: "handmade", count: 1 }))),
            { op: "delete", urn: "urn:pulumi:prod::aks-zero-trust::azure-native:network:Subnet::extra" },
        ]);
        expect(report.drift).toEqual([
            "aks-cluster (azure-native:containerservice:ManagedCluster): agentPoolProfiles: pool handmade exists in Azure but neither the cluster nor an AgentPool declares it",
            "extra (azure-native:network:Subnet): delete",
        ]);
    });

    it("cannot ignore the user pool's element with ignoreChanges: the engine never removes an array element", () => {
        const state = refreshed();
        expect(() => applyIgnoreChanges(state.declaredCluster, state.azure.cluster, ["agentPoolProfiles[1]"])).toThrow("one or more elements of the path are missing");
    });

    it("npm run drift reads pulumi preview --refresh --json: exit 0 when quiet, 1 with each drifted value or when the preview failed, its warnings and errors printed", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
        const write = (name: string, steps: PreviewStep[]) => {
            const file = path.join(dir, name);
            fs.writeFileSync(file, JSON.stringify({ steps, changeSummary: { update: steps.length } }));
            return file;
        };
        const drift = async (file: string) => {
            let stdout = "";
            let stderr = "";
            const status = await runCommand(driftCommand, ["--preview", file], { out: (text) => { stdout += text; }, err: (text) => { stderr += text; }, errIsTerminal: false }, DRIFT_INPUT_ERRORS);
            return { status, stdout, stderr };
        };
        const quiet = await drift(write("quiet.json", previewSteps(refreshed())));
        expect(quiet.status).toBe(0);
        expect(quiet.stdout.split("\n").at(-2)).toBe("no drift: every value the program declares matches Azure");
        const changed = await drift(write("changed.json", previewSteps(refreshed((azure) => { azure.apps.maxCount = 30; }))));
        expect(changed.status).toBe(1);
        expect(changed.stdout).toContain("drift: aks-pool-apps (azure-native:containerservice:AgentPool): maxCount: Azure has 30, the program declares 12\n");
        expect(changed.stderr).toBe("error: 1 value(s) drifted from the code; run pulumi up to restore the code's state, or change the code to adopt Azure's\n");
        // The text keeps to 120 columns: an address list changed by hand wraps under its line.
        const byHand = await drift(write("by-hand.json", previewSteps(refreshed((azure) => {
            azure.cluster.apiServerAccessProfile = { authorizedIPRanges: ["0.0.0.0/0"] };
            azure.apps.orchestratorVersion = "1.35";
        }))));
        expect(byHand.status).toBe(1);
        expect(byHand.stdout).toMatch(/^drift: aks-cluster \(azure-native:containerservice:ManagedCluster\): apiServerAccessProfile\.authorizedIPRanges: Azure has/m);
        expect(widestLine(quiet.stdout)).toBeLessThanOrEqual(120);
        expect(widestLine(byHand.stdout)).toBeLessThanOrEqual(120);
        // The program's refusal after end of life is a diagnostic in the JSON only: printed, and the check fails.
        const stackUrn = "urn:pulumi:prod::aks-zero-trust::pulumi:pulumi:Stack::aks-zero-trust-prod";
        const refusal = `aks-zero-trust:cluster.kubernetesVersion: ${judgeVersionSupport("1.36", "2027-07-15").message}`;
        fs.writeFileSync(path.join(dir, "failed.json"), JSON.stringify({
            steps: [{ op: "same", urn: stackUrn }],
            diagnostics: [{ urn: stackUrn, message: `${refusal}\n`, severity: "error" }, { message: "Updating (prod)", severity: "info" }],
        }));
        const failed = await drift(path.join(dir, "failed.json"));
        expect(failed.status).toBe(1);
        expect(failed.stdout.replace(/\n +/g, " ")).toBe(`preview error: aks-zero-trust-prod: ${refusal}\n`);
        expect(failed.stderr).toBe("error: the preview failed (1 error(s) above), so drift was not judged\n");
        // A warning the preview printed comes before the notes of a quiet run.
        fs.writeFileSync(path.join(dir, "warned.json"), JSON.stringify({ steps: previewSteps(refreshed()), diagnostics: [{ urn: stackUrn, message: "something to read\n", severity: "warning" }] }));
        const warned = await drift(path.join(dir, "warned.json"));
        expect(warned.status).toBe(0);
        expect(warned.stdout.split("\n")[0]).toBe("preview warning: aks-zero-trust-prod: something to read");
        expect(widestLine(failed.stdout)).toBeLessThanOrEqual(120);
        fs.writeFileSync(path.join(dir, "broken.json"), "Previewing update (prod):");
        expect((await drift(path.join(dir, "broken.json"))).stderr).toMatch(/^error: .*broken\.json: not JSON \(.*\); pass the output of pulumi preview --refresh --json\n$/);
    });
});
}
