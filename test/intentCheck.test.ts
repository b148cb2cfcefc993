import { describe, expect, it } from "vitest";
import type { KubeObject } from "../core/calicoApi";
import { readStackConfig } from "../core/config";
import { renderRepresentativeWorkloads, renderSegmentation } from "../core/policies";
import { projectConfigValues } from "../core/stackConfigSource";
import { checkIntent } from "../offline/intentCheck";
import { stackConfig } from "./helpers/stack";

const intentOf = (stack: "dev" | "prod") => readStackConfig(projectConfigValues(stackConfig(stack)), stack).segmentation!;

/** What the stack applies, straight from the renderer. */
function appliedFor(stack: "dev" | "prod"): KubeObject[] {
    const rendered = renderSegmentation(intentOf(stack));
    return [...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies]), ...rendered.globalPolicies];
}

describe("intent check", () => {
    it("passes for prod: every declared flow is allowed and nothing else is", () => {
        const intent = intentOf("prod");
        const result = checkIntent(intent, appliedFor("prod"), renderRepresentativeWorkloads(intent));
        expect(result.violations).toEqual([]);
        expect(result.passed).toBe(true);
    });

    it("checks audit namespaces as enforce would, and says so", () => {
        const intent = intentOf("dev");
        const result = checkIntent(intent, appliedFor("dev"), renderRepresentativeWorkloads(intent));
        expect(result).toMatchObject({ passed: true, auditNamespaces: ["shop"] });
    });

    it("names each declared flow that the policies no longer allow", () => {
        const intent = intentOf("prod");
        const broken = appliedFor("prod").filter((object) => object.metadata.name !== "workload-database");
        const result = checkIntent(intent, broken, renderRepresentativeWorkloads(intent));
        expect(result.passed).toBe(false);
        expect(result.violations).toEqual(["missing: shop/backend[Pod] => shop/database[Pod] : TCP 5432 is declared but not allowed"]);
    });

    it("names undeclared connections that a policy opens, such as frontend -> database", () => {
        const intent = intentOf("prod");
        const leak: KubeObject = {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "hotfix", namespace: "shop" },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{ to: [{ podSelector: {} }] }] },
        };
        const result = checkIntent(intent, [...appliedFor("prod"), leak], renderRepresentativeWorkloads(intent));
        expect(result.passed).toBe(false);
        expect(result.violations).toContain("unexpected: shop/frontend[Pod] => shop/database[Pod] : All Connections is allowed but not declared");
        expect(result.violations).toContain("unexpected: shop/database[Pod] => shop/frontend[Pod] : All Connections is allowed but not declared");
    });

    it("notices when declared internet egress is blocked", () => {
        const intent = intentOf("prod");
        const withoutInternet = appliedFor("prod").map((object) => {
            if (object.metadata.name !== "workload-backend") return object;
            const spec = object.spec as { egress: Array<{ to: Array<Record<string, unknown>> }> };
            return { ...object, spec: { ...spec, egress: spec.egress.filter((rule) => !("ipBlock" in rule.to[0])) } };
        });
        const result = checkIntent(intent, withoutInternet, renderRepresentativeWorkloads(intent));
        expect(result.violations).toEqual([expect.stringMatching(/^missing: shop\/backend\[Pod\] => internet : TCP 443 is declared \(FQDN egress\) but not allowed to 1 public range\(s\), e\.g\. 0\.0\.0\.0\/0\[External\]$/)]);
    });
});

describe("overrides: raw policies added to a namespace set", () => {
    const prodWith = (override: Record<string, unknown>) => {
        const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
        values.segmentation.namespaces[0].overrides = [override];
        return readStackConfig(values, "prod").segmentation!;
    };
    const denyDatabasePort = (port: number) => ({
        apiVersion: "crd.projectcalico.org/v1",
        kind: "NetworkPolicy",
        metadata: { name: "deny-legacy-db-port" },
        spec: { order: 900, selector: "app == 'database'", types: ["Ingress"], ingress: [{ action: "Deny", protocol: "TCP", destination: { ports: [port] } }] },
    });

    it("are applied with the set, and a correct one keeps the intent check green", () => {
        const intent = prodWith(denyDatabasePort(5433));
        const rendered = renderSegmentation(intent);
        expect(rendered.namespaces[0].allowPolicies.map((policy) => policy.metadata.name)).toContain("deny-legacy-db-port");
        const applied = [...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies]), ...rendered.globalPolicies];
        expect(checkIntent(intent, applied, renderRepresentativeWorkloads(intent)).violations).toEqual([]);
    });

    it("that break a declared flow through a port typo fail the intent check, naming the flow", () => {
        const intent = prodWith(denyDatabasePort(5432));
        const rendered = renderSegmentation(intent);
        const applied = [...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies]), ...rendered.globalPolicies];
        expect(checkIntent(intent, applied, renderRepresentativeWorkloads(intent)).violations).toEqual([
            "missing: shop/backend[Pod] => shop/database[Pod] : TCP 5432 is declared but not allowed",
        ]);
    });

    it("must carry order and types when they are Calico objects, and must not reuse generated names", () => {
        const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
        values.segmentation.namespaces[0].overrides = [
            { apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name: "no-order" }, spec: { selector: "all()" } },
            { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "workload-backend" }, spec: { podSelector: {} } },
        ];
        expect(() => readStackConfig(values, "prod")).toThrow([
            "Invalid stack config (3 problems):",
            "  - aks-zero-trust:segmentation.namespaces[0].overrides[0].spec.order: is required for Calico overrides (crd.projectcalico.org/v1 applies no defaults)",
            "  - aks-zero-trust:segmentation.namespaces[0].overrides[0].spec.types: is required for Calico overrides: list Ingress and/or Egress",
            "  - aks-zero-trust:segmentation.namespaces[0].overrides[1].metadata.name: \"workload-backend\" is already used by a generated policy",
        ].join("\n"));
    });
});
