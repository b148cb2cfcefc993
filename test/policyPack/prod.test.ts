import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { hasMandatoryViolations, policyResultsText, runPolicyPack, urnOf } from "../../offline/runtime";
import { createPolicies, isResourcePolicy } from "../../policy-pack/policies";
import { runStack, single } from "../helpers/stack";
import { breakEachPolicy } from "./breakages";
import { UNKNOWN_VALUE, validateResource, validateStack, withInputs } from "./harness";

const CLUSTER = "azure-native:containerservice:ManagedCluster";

describe("policy pack on the prod stack", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("prod");
    });

    it("every policy, called directly on the captured resources, finds nothing", () => {
        for (const policy of createPolicies({ stackEnvironment: "prod" })) {
            if (isResourcePolicy(policy)) {
                for (const resource of run.resources) {
                    expect(validateResource(policy.name, resource, { stackEnvironment: "prod", stackResources: run.resources }).messages, `${policy.name} on ${resource.name}`).toEqual([]);
                }
            } else {
                expect(validateStack(policy.name, run.resources, { stackEnvironment: "prod" }).messages, policy.name).toEqual([]);
            }
        }
    });

    it("every policy finds something once the captured prod resources are broken for it (twin of the test above)", () => {
        const breakages = breakEachPolicy(run.resources);
        // Judged as prod; the dev-only rule is shown finding its breakage in the dev twin.
        const devOnly = new Set(["aks-api-server-restricted-in-dev"]);
        for (const policy of createPolicies({ stackEnvironment: "prod" }).filter((candidate) => !devOnly.has(candidate.name))) {
            const broken = breakages[policy.name];
            expect(broken, `a breakage for ${policy.name}`).toBeDefined();
            const messages = isResourcePolicy(policy)
                ? broken!.flatMap((resource) => validateResource(policy.name, resource, { stackEnvironment: "prod", stackResources: broken }).messages)
                : validateStack(policy.name, broken!, { stackEnvironment: "prod" }).messages;
            expect(messages.length, `${policy.name} finds its breakage`).toBeGreaterThan(0);
        }
    });

    it("passes as a whole: every policy PASS", () => {
        const results = runPolicyPack(run, { stack: "prod", environment: "prod" });
        expect(results.every((result) => result.violations.length === 0)).toBe(true);
        expect(hasMandatoryViolations(results)).toBe(false);
        const lines = policyResultsText(results).split("\n");
        expect(lines).toHaveLength(18);
        expect(lines.slice(0, 17).every((line) => line.startsWith("PASS  "))).toBe(true);
        expect(lines[17]).toBe("17 policies: 17 passed, 0 advisory warnings, 0 mandatory violations");
    });

    it("gives resources the URNs Pulumi would, parents' types included", () => {
        expect(urnOf(single(run, CLUSTER), run)).toBe("urn:pulumi:prod::aks-zero-trust::aks-zero-trust:cluster:AksCluster$azure-native:containerservice:ManagedCluster::aks-cluster");
    });

    it("a cluster with Azure NPM instead of Calico fails the AKS policy, with its mandatory name and remediation", () => {
        const cluster = single(run, CLUSTER);
        const withoutCalico = withInputs(cluster, { networkProfile: { networkPolicy: "azure" } });
        const results = runPolicyPack({ ...run, resources: run.resources.map((resource) => (resource === cluster ? withoutCalico : resource)) }, { stack: "prod", environment: "prod" });
        expect(results.filter((result) => result.violations.length > 0)).toEqual([{
            policy: "aks-network-profile",
            enforcementLevel: "mandatory",
            violations: [{
                message: `networkProfile.networkPolicy is "azure": it does not enforce the namespace policy sets' Calico policies. Set networkProfile.networkPolicy to "calico" (or "none" with self-managed Calico, stack config cluster.calico.mode), or networkDataplane and networkPolicy to "cilium".`,
                resource: urnOf(cluster, run),
            }],
        }]);
        expect(hasMandatoryViolations(results)).toBe(true);
        const text = policyResultsText(results);
        expect(text).toContain(`FAIL  aks-network-profile (mandatory)\n      - networkProfile.networkPolicy is "azure"`);
        expect(text).toContain("[aks-cluster (azure-native:containerservice:ManagedCluster)]");
        expect(text.split("\n").at(-1)).toBe("17 policies: 16 passed, 0 advisory warnings, 1 mandatory violations");
    });

    it("during a first preview the authorized ranges (they include the firewall's IPs) are unknown: skipped, not reported", () => {
        const cluster = withInputs(single(run, CLUSTER), { apiServerAccessProfile: { authorizedIPRanges: UNKNOWN_VALUE.array } });
        expect(validateResource("aks-api-server-access", cluster, { stackEnvironment: "prod", preview: true }).messages).toEqual([]);
        const routeTable = withInputs(single(run, "azure-native:network:RouteTable"), { routes: UNKNOWN_VALUE.array });
        expect(validateResource("route-default-via-firewall", routeTable, { preview: true }).messages).toEqual([]);
    });

    it("an unprotected firewall in prod is reported by name", () => {
        const firewall = single(run, "azure-native:network:AzureFirewall");
        const resources = run.resources.map((resource) => (resource === firewall ? { ...firewall, protect: false } : resource));
        const outcome = validateStack("prod-stateful-resources-protected", resources, { stackEnvironment: "prod" });
        expect(outcome.messages).toEqual([
            "AzureFirewall egress-firewall is not protected: in prod it must survive a mistaken destroy or replace. Set protect: true (stack config aks-zero-trust:protect, default true in prod).",
        ]);
        expect(outcome.violations[0].resource).toBe("urn:pulumi:test::aks-zero-trust::aks-zero-trust:firewall:EgressFirewall$azure-native:network:AzureFirewall::egress-firewall");
    });

    it("a wildcard FQDN added to the AKS rules is reported", () => {
        const group = run.resources.find((resource) => resource.inputs.ruleCollectionGroupName === "aks-required")!;
        const collections = group.inputs.ruleCollections as Array<{ name: string; rules: Array<Record<string, unknown>> }>;
        const widened = { ...group, inputs: { ...group.inputs, ruleCollections: [{ ...collections[0], rules: [...collections[0].rules, { ruleType: "ApplicationRule", name: "everything", sourceAddresses: ["10.20.16.0/20"], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["*"] }] }, ...collections.slice(1)] } };
        expect(validateResource("firewall-rules-no-wildcards", widened).messages).toEqual([
            `ruleCollections[0] ${JSON.stringify(collections[0].name)} rule "everything": targetFqdns contains "*", which allows every host name. List the exact FQDNs (a leading "*." label at most, e.g. "*.blob.core.windows.net").`,
        ]);
    });
});
