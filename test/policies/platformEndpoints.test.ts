/**
 * Issue 19's first acceptance point in all four renderings: AKS-managed Calico (crd.projectcalico.org/v1, default
 * tier) and self-managed Calico (projectcalico.org/v3, tier `platform`, staged policies for audit), each in audit and
 * in enforce. The shipped stacks are two of them (dev: self-managed, audit; prod: AKS-managed, enforce), proven on the
 * program's own output in test/stack; here the intent alone is rendered, so the other two are covered as well.
 * The semantics and their sources: test/helpers/platformEndpoints.ts.
 */
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../core/calico";
import { projectConfigValues, readStackConfig } from "../../core/config";
import { renderRepresentativeWorkloads, renderSegmentation, type RenderedSegmentation } from "../../core/policies";
import { checkIntent } from "../../core/proof";
import { expectPlatformEndpointsClosed, felixOrder, GUARDED_PODS, guardrailOrderProblems, platformEndpointTable } from "../helpers/platformEndpoints";
import { stackConfig } from "../helpers/stack";

type Mode = "aks-managed" | "self-managed";

function rendering(stack: "dev" | "prod", calico: Mode) {
    const values = structuredClone(projectConfigValues(stackConfig(stack))) as Record<string, any>;
    values.cluster.calico = calico === "self-managed" ? { mode: "self-managed", version: "3.33.1" } : { mode: "aks-managed" };
    const config = readStackConfig(values, stack);
    const intent = config.segmentation!;
    const rendered = renderSegmentation(intent, config.cluster.calico.mode);
    return { intent, objects: objectsOf(rendered), exempt: config.exemptNamespaces };
}

function objectsOf(rendered: RenderedSegmentation): KubeObject[] {
    return [...rendered.tiers, ...rendered.globalPolicies, ...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies])];
}

const COMBINATIONS = [
    ["aks-managed", "audit", "dev"],
    ["aks-managed", "enforce", "prod"],
    ["self-managed", "audit", "dev"],
    ["self-managed", "enforce", "prod"],
] as const;

const guardedNamespaces = [...new Set(GUARDED_PODS.map((pod) => pod.split("/")[0]!))];
const guardrailName = (calico: Mode) => (calico === "aks-managed" ? "deny-platform-endpoints" : "platform.metadata-service-guardrail");

describe.each(COMBINATIONS)("the platform endpoints with %s Calico in %s mode", (calico, mode, stack) => {
    const { intent, objects, exempt } = rendering(stack, calico);

    it("the stack really is in that mode", () => {
        expect(intent.namespaces.map((namespace) => namespace.mode)).toEqual([mode]);
        expect(objects.some((object) => object.kind.startsWith("Staged"))).toBe(calico === "self-managed" && mode === "audit");
    });

    it("the first enforced policy in Felix's order is the guardrail: a real policy, selecting every non-system namespace, Log then Deny to both addresses", () => {
        expect(guardrailOrderProblems(objects, guardedNamespaces, exempt)).toEqual([]);
        const first = felixOrder(objects)[0]!.object;
        expect(`${first.apiVersion} ${first.kind} ${first.metadata.name}`).toBe(
            calico === "aks-managed" ? "crd.projectcalico.org/v1 GlobalNetworkPolicy deny-platform-endpoints" : "projectcalico.org/v3 GlobalNetworkPolicy platform.metadata-service-guardrail",
        );
    });

    it("drops every pod -> 169.254.169.254:80 and -> 168.63.129.16:80,32526: app tiers, data tier, infrastructure, peer, undeclared", () => {
        expectPlatformEndpointsClosed(objects, intent);
        expect(checkIntent(intent, objects, renderRepresentativeWorkloads(intent)).violations).toEqual([]);
    });
});

describe("the guardrail is what holds in audit mode, and only as a real policy ordered first", () => {
    // In audit, nothing else stands between a pod and the platform endpoints: aks-managed's log-denied and baseline
    // end in Log, Allow; self-managed's namespace sets and baseline are staged. So each mutation below must open them.
    const opened = (table: Record<string, boolean>) => GUARDED_PODS.filter((pod) => table[`${pod} => 169.254.169.254:80`]);

    for (const calico of ["aks-managed", "self-managed"] as const) {
        const { intent, objects, exempt } = rendering("dev", calico);
        const guardrail = guardrailName(calico);
        const without = objects.filter((object) => object.metadata.name !== guardrail);

        it(`${calico}, audit: without the guardrail, app tiers, the peer and the undeclared namespace reach IMDS, and the check names them`, () => {
            // Infrastructure stays closed: its own egress allowlist ends in Deny, enforced in every mode.
            expect(opened(platformEndpointTable(without, intent))).toEqual(["shop/frontend", "shop/backend", "shop/database", "ingress-nginx/ingress-nginx-peer", "undeclared-namespace/probe"]);
            expect(checkIntent(intent, without, renderRepresentativeWorkloads(intent)).violations).toContain(
                "in every mode: undeclared-namespace/probe[Pod] => 169.254.169.254 (the instance metadata service) : All Connections is allowed by the policies as deployed",
            );
            expect(guardrailOrderProblems(without, ["shop"], exempt)).not.toEqual([]);
        });

        it(`${calico}, audit: a guardrail ordered after the namespace's audit policies no longer comes first`, () => {
            const late = objects.map((object) => (object.metadata.name === guardrail ? { ...object, spec: { ...object.spec, order: 3500 } } : object));
            expect(felixOrder(late)[0]!.object.metadata.name).not.toBe(guardrail);
            expect(guardrailOrderProblems(late, guardedNamespaces, exempt)).toContainEqual(expect.stringMatching(/: does not select namespace shop$/));
        });
    }

    it("self-managed, audit: a staged guardrail enforces nothing (Felix never programs staged policies), so every pod gets through", () => {
        const { intent, objects } = rendering("dev", "self-managed");
        const staged = objects.map((object) => (object.metadata.name === "platform.metadata-service-guardrail" ? { ...object, kind: "StagedGlobalNetworkPolicy", spec: { stagedAction: "Set", ...object.spec } } : object));
        expect(opened(platformEndpointTable(staged, intent))).toEqual(["shop/frontend", "shop/backend", "shop/database", "ingress-nginx/ingress-nginx-peer", "undeclared-namespace/probe"]);
        expect(felixOrder(staged).map((ranked) => ranked.object.metadata.name)).not.toContain("platform.metadata-service-guardrail");
    });

    it("self-managed: a platform tier ordered after the default tier loses to the namespace's Kubernetes policies", () => {
        const { objects, exempt } = rendering("prod", "self-managed");
        const late = objects.map((object) => (object.kind === "Tier" ? { ...object, spec: { ...object.spec, order: 2_000_000 } } : object));
        expect(guardrailOrderProblems(late, guardedNamespaces, exempt)).toContain("NetworkPolicy allow-dns comes first, and it is a Kubernetes policy");
    });

    it("the system namespaces it leaves alone are exactly the exempt ones: kube-system's agents talk to both addresses", () => {
        const { objects } = rendering("prod", "aks-managed");
        expect(guardrailOrderProblems(objects, guardedNamespaces, ["kube-system", "calico-system", "tigera-operator"])).toEqual([]);
        expect(guardrailOrderProblems(objects, ["kube-system"], [])).toEqual(["GlobalNetworkPolicy deny-platform-endpoints: does not select namespace kube-system"]);
    });
});
