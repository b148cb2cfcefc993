import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { MockRun } from "../../offline/runtime";
import { hasMandatoryViolations, policyResultsText, runPolicyPack } from "../../offline/runtime";
import { createPolicies, isResourcePolicy, type PolicyPackConfig } from "../../policy-pack/policies";
import { ofType, runStack, single } from "../helpers/stack";
import { breakEachPolicy } from "./breakages";
import { networkPolicy, validateResource, validateStack } from "./harness";

const devConfig = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "policy-pack", "policy-config.dev.json"), "utf8")) as PolicyPackConfig;

describe("policy pack on the dev stack", () => {
    let run: MockRun;
    beforeAll(async () => {
        run = await runStack("dev");
    });

    it("every policy, called directly on the captured resources, finds nothing", () => {
        for (const policy of createPolicies({ stackEnvironment: "dev" })) {
            if (isResourcePolicy(policy)) {
                for (const resource of run.resources) {
                    expect(validateResource(policy.name, resource, { stackEnvironment: "dev", stackResources: run.resources }).messages, `${policy.name} on ${resource.name}`).toEqual([]);
                }
            } else {
                expect(validateStack(policy.name, run.resources, { stackEnvironment: "dev" }).messages, policy.name).toEqual([]);
            }
        }
    });

    it("every policy finds something once the captured dev resources are broken for it (twin of the test above)", () => {
        const breakages = breakEachPolicy(run.resources);
        // Judged as dev; the two prod-only rules are shown finding dev's resources under prod rules below.
        const prodOnly = new Set(["aks-api-server-access", "prod-stateful-resources-protected"]);
        for (const policy of createPolicies({ stackEnvironment: "dev" }).filter((candidate) => !prodOnly.has(candidate.name))) {
            const broken = breakages[policy.name]!;
            const messages = isResourcePolicy(policy)
                ? broken.flatMap((resource) => validateResource(policy.name, resource, { stackEnvironment: "dev", stackResources: broken }).messages)
                : validateStack(policy.name, broken, { stackEnvironment: "dev" }).messages;
            expect(messages.length, `${policy.name} finds its breakage in dev`).toBeGreaterThan(0);
        }
    });

    it("judges a web-to-data hole in dev's audit namespace as enforcement would (twin of the audit test below)", () => {
        const broken = breakEachPolicy(run.resources)["web-tier-never-reaches-data-tier"]!;
        expect(validateStack("web-tier-never-reaches-data-tier", broken).messages).not.toEqual([]);
    });

    it("passes as a whole, with and without the dev pack config", () => {
        const results = runPolicyPack(run, { stack: "dev", environment: "dev" });
        expect(policyResultsText(results).split("\n").at(-1)).toBe("17 policies: 17 passed, 0 advisory warnings, 0 mandatory violations");
        const relaxed = runPolicyPack(run, { stack: "dev", environment: "dev", config: devConfig });
        expect(relaxed.filter((result) => result.violations.length > 0)).toEqual([]);
        expect(relaxed.find((result) => result.policy === "data-tier-egress-dns-only")?.enforcementLevel).toBe("advisory");
    });

    it("runs dev Entra ID only, with authorized IP ranges, so prod's API server rules pass too", () => {
        const cluster = single(run, "azure-native:containerservice:ManagedCluster");
        expect(cluster.inputs.disableLocalAccounts).toBe(true);
        expect(validateResource("aks-api-server-access", cluster, { stackEnvironment: "dev" }).messages).toEqual([]);
        expect(validateResource("aks-api-server-access", cluster, { stackEnvironment: "prod" }).messages).toEqual([]);
        expect(validateResource("aks-api-server-restricted-in-dev", cluster, { stackEnvironment: "dev" }).messages).toEqual([]);
    });

    it("does not protect dev's stateful resources; configured as prod, the pack names all five", () => {
        expect(validateStack("prod-stateful-resources-protected", run.resources, { stackEnvironment: "dev" }).messages).toEqual([]);
        const asProd = validateStack("prod-stateful-resources-protected", run.resources, { stackEnvironment: "dev", config: { environment: "prod" } });
        expect(asProd.messages.map((message) => message.split(" is not protected")[0])).toEqual([
            "ResourceGroup platform",
            "Workspace platform-logs",
            "FirewallPolicy egress-policy",
            "AzureFirewall egress-firewall",
            "ManagedCluster aks-cluster",
        ]);
    });

    it("judges dev's audit namespaces as enforcement would", () => {
        // Self-managed Calico: audit stages the namespace's policies; the logger waits, staged, with its Deny.
        const logDenied = ofType(run, "kubernetes:projectcalico.org/v3:StagedNetworkPolicy").find((resource) => resource.name === "shop-stagednetworkpolicy-log-denied")!;
        expect(logDenied.inputs.spec).toMatchObject({ stagedAction: "Set", ingress: [{ action: "Deny" }] });
        for (const name of ["web-tier-never-reaches-data-tier", "data-tier-egress-dns-only", "data-tier-ingress-allowlist"]) {
            expect(validateStack(name, run.resources).messages, name).toEqual([]);
        }
    });

    it("with the dev pack config, a data tier reaching the internet is an advisory warning, not a blocker", () => {
        const internet = networkPolicy("database-egress", "shop", {
            podSelector: { matchLabels: { app: "database", tier: "data" } },
            policyTypes: ["Egress"],
            // The internet as config would render it: link-local and WireServer left out (the pack refuses them otherwise).
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16", "168.63.129.16/32"] } }], ports: [{ protocol: "TCP", port: 443 }] }],
        });
        const changed: MockRun = { ...run, resources: [...run.resources, internet] };
        const strict = runPolicyPack(changed, { stack: "dev", environment: "dev" });
        expect(hasMandatoryViolations(strict)).toBe(true);
        const relaxed = runPolicyPack(changed, { stack: "dev", environment: "dev", config: devConfig });
        expect(hasMandatoryViolations(relaxed)).toBe(false);
        const dataEgress = relaxed.find((result) => result.policy === "data-tier-egress-dns-only");
        expect(dataEgress).toMatchObject({ enforcementLevel: "advisory" });
        expect(dataEgress?.violations).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^shop\/database => 0\.0\.0\.0-168\.63\.129\.15, 168\.63\.129\.17-169\.253\.255\.255, 169\.255\.0\.0-255\.255\.255\.255 : TCP 443\. /) }));
        expect(policyResultsText(relaxed).split("\n").at(-1)).toBe(`17 policies: 16 passed, ${dataEgress!.violations.length} advisory warnings, 0 mandatory violations`);
    });
});
