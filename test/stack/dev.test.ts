import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { keyOf, ofType, runStack, single } from "../helpers/stack";
import { expectDayTwoLifecycle, expectHostNetworkKeptOut, expectPlatformEndpointsClosed, expectZeroTrustBoundary } from "./shared";

describe("dev stack under mocks", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("dev");
    });

    it("runs every pool on the cluster's version and times patches and node images in two maintenance windows of at least 4 hours, dev's first (the canary)", () => {
        expect(expectDayTwoLifecycle(run)).toEqual({ aksManagedAutoUpgradeSchedule: "Monday", aksManagedNodeOSUpgradeSchedule: "Tuesday" });
    });

    it("builds the zero-trust boundary: overlay with self-managed Calico, UDR through the firewall, AKS rules, ordering, secret kubeconfig", () => {
        expectZeroTrustBoundary(run, "self-managed");
    });

    it("installs the pinned Tigera operator chart, then Installation (AKS, AzureVNET), APIServer, Goldmane and Whisker", () => {
        const release = single(run, "kubernetes:helm.sh/v3:Release");
        expect(release.inputs).toMatchObject({ chart: "tigera-operator", version: "v3.33.1", namespace: "tigera-operator", repositoryOpts: { repo: "https://docs.tigera.io/calico/charts" } });
        expect(single(run, "kubernetes:operator.tigera.io/v1:Installation").inputs.spec).toEqual({ kubernetesProvider: "AKS", cni: { type: "AzureVNET" } });
        for (const kind of ["Installation", "APIServer", "Goldmane", "Whisker"]) {
            expect(single(run, `kubernetes:operator.tigera.io/v1:${kind}`).dependsOn, kind).toContain(keyOf(release));
        }
    });

    it("creates every Calico v3 object after the API server reports Ready, tiers before the policies in them", () => {
        const apiServer = single(run, "kubernetes:operator.tigera.io/v1:APIServer");
        expect((apiServer.inputs.metadata as any).annotations).toEqual({ "pulumi.com/waitFor": "jsonpath={.status.state}=Ready" });
        const v3 = run.resources.filter((resource) => resource.type.startsWith("kubernetes:projectcalico.org/v3:"));
        expect(v3.length).toBeGreaterThan(10);
        for (const object of v3) expect(object.dependsOn, object.name).toContain(keyOf(apiServer));
        const tier = single(run, "kubernetes:projectcalico.org/v3:Tier");
        for (const object of v3.filter((resource) => (resource.inputs.spec as any)?.tier === "platform")) expect(object.dependsOn, object.name).toContain(keyOf(tier));
        expect(run.resources.filter((resource) => resource.type.startsWith("kubernetes:crd.projectcalico.org/"))).toEqual([]);
    });

    it("stages the audit namespace's policies, logger after the allows and default deny last", () => {
        const namespaced = run.resources.filter((resource) => (resource.inputs.metadata as any)?.namespace === "shop");
        expect(namespaced.map((object) => `${object.type.split(":")[2]} ${(object.inputs.metadata as any).name}`).sort()).toEqual([
            "StagedKubernetesNetworkPolicy allow-dns",
            "StagedKubernetesNetworkPolicy default-deny-all",
            "StagedKubernetesNetworkPolicy workload-backend",
            "StagedKubernetesNetworkPolicy workload-database",
            "StagedKubernetesNetworkPolicy workload-frontend",
            "StagedNetworkPolicy log-denied",
        ]);
        const byName = (name: string) => namespaced.find((object) => (object.inputs.metadata as any).name === name)!;
        expect(byName("default-deny-all").dependsOn).toEqual(expect.arrayContaining([keyOf(byName("log-denied")), keyOf(byName("allow-dns"))]));
    });

    it("drops every pod -> 169.254.169.254:80 and -> 168.63.129.16:80,32526 (audit mode): app tiers, data tier, infrastructure, peer, undeclared", () => {
        expectPlatformEndpointsClosed(run, "dev");
    });

    it("keeps host-networked pods out: Pod Security Admission on the declared namespace, Azure Policy's host-network deny cluster-wide", () => {
        expectHostNetworkKeptOut(run);
    });

    it("is small: Standard firewall alerting on threat intel, one zone, one public IP", () => {
        const policy = single(run, "azure-native:network:FirewallPolicy");
        expect(policy.inputs).toMatchObject({ sku: { tier: "Standard" }, threatIntelMode: "Alert" });
        expect(policy.inputs.intrusionDetection).toBeUndefined();
        expect(single(run, "azure-native:network:AzureFirewall").inputs.zones).toEqual(["1"]);
        expect(ofType(run, "azure-native:network:PublicIPAddress")).toHaveLength(1);
    });

    it("protects nothing, so the environment can be torn down", () => {
        expect(run.resources.filter((resource) => resource.protect)).toEqual([]);
    });
});
