import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { urnOf } from "../../offline/runtime";
import { createPolicies } from "../../policy-pack/policies";
import { runStack, single } from "../helpers/stack";
import { UNKNOWN_VALUE, networkPolicy } from "./harness";
import { RunningPolicyPack, WireResource, wireResource } from "./runtime";

/**
 * The pack as Pulumi runs it: its own node_modules, ts-node type-checking index.ts and everything it loads
 * from the project (../reach, ../core including core/intentCheck), served over the Analyzer gRPC protocol.
 */
describe("the policy pack under Pulumi's policy runtime", () => {
    let run: MockRun;
    let pack: RunningPolicyPack;
    let resources: WireResource[];

    beforeAll(async () => {
        run = await runStack("prod");
        resources = run.resources.map((resource) => wireResource(resource, urnOf(resource, run)));
        // What the CLI sets for a Node.js policy pack (analyzer_plugin.go, constructEnv).
        pack = await RunningPolicyPack.start({ PULUMI_STACK: "prod", PULUMI_CONFIG: JSON.stringify({ "aks-zero-trust:environment": "prod" }) });
    });

    afterAll(() => pack?.stop());

    it("serves the pack's policies with their levels and config schema", async () => {
        const info = await pack.info();
        expect(info.name).toBe("aks-zero-trust");
        expect(info.policies.map((policy) => policy.name)).toEqual(createPolicies().map((policy) => policy.name));
        expect(info.policies.filter((policy) => policy.level === "advisory").map((policy) => policy.name)).toEqual(["aks-api-server-restricted-in-dev", "aks-kubernetes-version-support", "policy-budgets"]);
        expect(info.policies.filter((policy) => policy.config.includes("environment")).map((policy) => policy.name)).toEqual(["aks-api-server-access", "aks-api-server-restricted-in-dev", "prod-stateful-resources-protected"]);
        expect(await pack.pluginVersion()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("finds nothing on the prod stack, resource by resource and as a stack", async () => {
        for (const resource of resources) {
            expect(await pack.analyze(resource), resource.name).toEqual([]);
        }
        expect(await pack.analyzeStack(resources)).toEqual([]);
    });

    it("during preview, reports a cluster with an engine other than Calico and skips its unknown authorized ranges", async () => {
        const cluster = single(run, "azure-native:containerservice:ManagedCluster");
        const props = structuredClone(cluster.inputs) as { networkProfile: Record<string, unknown>; apiServerAccessProfile: Record<string, unknown> };
        props.networkProfile.networkPolicy = "azure";
        props.apiServerAccessProfile.authorizedIPRanges = UNKNOWN_VALUE.array;
        expect(await pack.analyze(wireResource(cluster, urnOf(cluster, run), props))).toEqual([{
            policy: "aks-network-profile",
            level: "mandatory",
            message: `networkProfile.networkPolicy is "azure": it does not enforce the namespace policy sets' Calico policies. Set networkProfile.networkPolicy to "calico" (or "none" with self-managed Calico, stack config cluster.calico.mode), or networkDataplane and networkPolicy to "cilium".`,
            // A resource policy's diagnostic names no URN: the engine attaches it to the resource analysed.
            urn: "",
        }]);
    });

    it("computes reachability with ../reach at the end of the update, and obeys the pack config", async () => {
        const internet = networkPolicy("database-egress", "shop", {
            podSelector: { matchLabels: { app: "database", tier: "data" } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] }],
        });
        const withInternet = [...resources, wireResource(internet, "urn:pulumi:prod::aks-zero-trust::kubernetes:networking.k8s.io/v1:NetworkPolicy::shop-database-egress")];
        const mandatory = await pack.analyzeStack(withInternet);
        // ipBlock 0.0.0.0/0 also holds every pod IP (Calico matches it on the packet's address): pods are reported too.
        expect(mandatory).toContainEqual(expect.objectContaining({ policy: "data-tier-egress-dns-only", level: "mandatory", message: expect.stringMatching(/^shop\/database => 0\.0\.0\.0-168\.63\.129\.15, 168\.63\.129\.17-169\.254\.169\.253, 169\.254\.169\.255-255\.255\.255\.255 : TCP 443\. The data tier may only reach DNS/) }));
        expect(new Set(mandatory.map((diagnostic) => `${diagnostic.policy} ${diagnostic.level}`))).toEqual(new Set(["data-tier-egress-dns-only mandatory"]));

        await pack.configure({ "data-tier-egress-dns-only": { enforcementLevel: "advisory" } });
        expect(new Set((await pack.analyzeStack(withInternet)).map((diagnostic) => `${diagnostic.policy} ${diagnostic.level}`))).toEqual(new Set(["data-tier-egress-dns-only advisory"]));
    });
});
