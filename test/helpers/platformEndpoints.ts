/**
 * The ADR's breach path, as a truth table and as an ordering proof: no pod outside the system namespaces reaches the
 * instance metadata service (169.254.169.254:80) or WireServer (168.63.129.16:80 and 32526), whatever the Calico API
 * and whatever the rollout mode.
 *
 * The expectations come from Calico's semantics, not from the engine (projectcalico/calico at 87c1590, read
 * 2026-12-07):
 *  - Felix runs an endpoint's egress through its tiers in order, ties by tier name (felix/calc/policy_sorter.go
 *    TierLess), and inside a tier through its policies by `order`, unset last, ties by name (PolKVLess).
 *  - A rule's Deny drops at once, Allow returns with the accept mark (no later policy or tier runs), Log goes on to
 *    the next rule (felix/rules/policy.go; felix/rules/endpoints.go "Return if policy accepted").
 *  - A staged policy is never programmed ("Skip programming staged policy", felix/rules/endpoints.go): it neither
 *    drops nor allows, in any tier.
 *  - Kubernetes NetworkPolicies sit in the default tier (order 1,000,000) at policy order 1000 (Calico docs,
 *    "Kubernetes policy"); a crd.projectcalico.org/v1 policy takes its tier from its name, no dot meaning the default
 *    tier (libcalico-go names.TierFromPolicyName, REFERENCE.md section 2).
 * Hence: if the first enforced policy the stack deploys, in Felix's order, selects a pod for egress and opens its
 * egress with `Log` then `Deny` to both addresses (no protocol, no port), that pod never reaches them. Nothing of the
 * stack's can allow before it. Outside the stack's objects, only two things can come earlier, and neither selects a
 * pod the guardrail holds: AKS's `aaa-allow-konnectivity-agent` (order 0, kube-system's konnectivity-agent) and, with
 * self-managed Calico, the operator's `calico-system` tier (order 100, before `platform` by name), whose policies
 * select Calico's own namespaces and kube-system's DNS pods (tigera/operator pkg/render/tiers/tiers.go).
 */
import { expect } from "vitest";
import type { KubeObject } from "../../core/calico";
import type { SegmentationIntent } from "../../core/intent";
import { renderRepresentativeWorkloads } from "../../core/policies";
import { asManifests } from "../../core/proof";
import { analyze, ConnectionSet, explain, matchesSelector, parseSelector } from "../../reach";

export const IMDS = "169.254.169.254";
export const WIRESERVER = "168.63.129.16";
/** The host agent listens on 80 and 32526 (Azure docs, "What is IP address 168.63.129.16?"); IMDS on 80. */
export const PLATFORM_PROBES: ReadonlyArray<readonly [string, number]> = [[IMDS, 80], [WIRESERVER, 80], [WIRESERVER, 32526]];

/** The representative pods the guardrail must hold, one per kind of namespace (core/policies representativeWorkloads.ts). */
export const GUARDED_PODS = [
    "shop/frontend", // app tier: web
    "shop/backend", // app tier: api
    "shop/database", // the data tier
    "monitoring/monitoring-agent", // infrastructure
    "ingress-nginx/ingress-nginx-peer", // a peer
    "undeclared-namespace/probe", // a namespace nobody declared
] as const;

/**
 * Probes every guarded pod against every platform endpoint with the engine on the objects as deployed (staged
 * policies as the cluster has them: deciding nothing), and expects all of them dropped. A kube-system pod is the
 * control: the guardrail leaves the system namespaces alone, so the prober must see it reach IMDS.
 */
export function expectPlatformEndpointsClosed(objects: readonly KubeObject[], intent: SegmentationIntent): void {
    const table = platformEndpointTable(objects, intent);
    expect(table).toEqual(Object.fromEntries(Object.keys(table).map((key) => [key, false])));
}

/** `pod => address:port` -> whether the deployed objects let it through (the prober: the reachability engine). */
export function platformEndpointTable(objects: readonly KubeObject[], intent: SegmentationIntent): Record<string, boolean> {
    const analysis = analyze(asManifests([...objects, ...renderRepresentativeWorkloads(intent)]));
    const reaches = (pod: string, address: string, port: number) => !explain(analysis, pod, address).verdict.intersect(ConnectionSet.ports("TCP", port)).isEmpty();
    expect(reaches("kube-system/coredns", IMDS, 80), "control: kube-system is not held by the guardrail").toBe(true);
    return Object.fromEntries(GUARDED_PODS.flatMap((pod) => PLATFORM_PROBES.map(([address, port]) => [`${pod} => ${address}:${port}`, reaches(pod, address, port)])));
}

/** A policy as Felix orders it. */
interface Ranked {
    readonly object: KubeObject;
    readonly tier: string;
    readonly tierOrder: number;
    readonly order: number;
}

const DEFAULT_TIER_ORDER = 1_000_000;
const KUBERNETES_POLICY_ORDER = 1000;
const ENFORCED_KINDS = new Set(["NetworkPolicy", "GlobalNetworkPolicy"]);

/** The enforced policies among the objects (staged kinds are never programmed), in Felix's evaluation order. */
export function felixOrder(objects: readonly KubeObject[]): Ranked[] {
    const tierOrders = new Map<string, number>([["default", DEFAULT_TIER_ORDER]]);
    for (const object of objects) if (object.kind === "Tier") tierOrders.set(object.metadata.name, Number((object.spec as { order?: number }).order ?? Infinity));
    const ranked = objects.filter((object) => ENFORCED_KINDS.has(object.kind)).map((object): Ranked => {
        const spec = (object.spec ?? {}) as { order?: number; tier?: string };
        const tier = object.apiVersion === "networking.k8s.io/v1" ? "default"
            : object.apiVersion.startsWith("crd.projectcalico.org/") ? (object.metadata.name.includes(".") ? object.metadata.name.split(".")[0]! : "default")
            : spec.tier ?? "default";
        const order = object.apiVersion === "networking.k8s.io/v1" ? KUBERNETES_POLICY_ORDER : spec.order ?? Infinity;
        return { object, tier, tierOrder: tierOrders.get(tier) ?? Infinity, order };
    });
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return ranked.sort((a, b) => a.tierOrder - b.tierOrder || byName(a.tier, b.tier) || a.order - b.order || byName(a.object.metadata.name, b.object.metadata.name));
}

/**
 * Why the objects do not prove the guardrail, per the semantics above; empty when they do. Checks that the first
 * enforced policy is strictly first (no tie in tier or order to leave to names), selects every guarded namespace and
 * no system one, and opens its egress with Log then Deny to both addresses, unconditionally.
 */
export function guardrailOrderProblems(objects: readonly KubeObject[], guardedNamespaces: readonly string[], systemNamespaces: readonly string[]): string[] {
    const ranked = felixOrder(objects);
    const first = ranked[0];
    if (!first) return ["no enforced policy at all"];
    const problems: string[] = [];
    const name = `${first.object.kind} ${first.object.metadata.name}`;
    const second = ranked[1];
    if (second && second.tierOrder === first.tierOrder && second.tier !== first.tier) problems.push(`${name}: its tier ${first.tier} ties with tier ${second.tier} on order`);
    if (second && second.tier === first.tier && second.order === first.order) problems.push(`${name}: ties with ${second.object.metadata.name} on order ${first.order}`);
    if (first.object.apiVersion === "networking.k8s.io/v1") return [...problems, `${name} comes first, and it is a Kubernetes policy`];
    const spec = first.object.spec as { namespaceSelector?: string; selector?: string; types?: string[]; egress?: Array<Record<string, any>> };
    if (!spec.types?.includes("Egress")) problems.push(`${name}: does not select egress`);
    const selects = (namespace: string) => matchesSelector(parseSelector(spec.namespaceSelector ?? "all()"), new Map([["projectcalico.org/name", namespace]])) && matchesSelector(parseSelector(spec.selector ?? "all()"), new Map());
    for (const namespace of guardedNamespaces) if (!selects(namespace)) problems.push(`${name}: does not select namespace ${namespace}`);
    for (const namespace of systemNamespaces) if (selects(namespace)) problems.push(`${name}: selects system namespace ${namespace}`);
    const [log, deny] = spec.egress ?? [];
    const unconditional = (rule: Record<string, any> | undefined) => {
        if (!rule || Object.keys(rule).some((key) => key !== "action" && key !== "destination")) return false;
        const destination = rule.destination as Record<string, unknown>;
        return Object.keys(destination).join() === "nets" && [`${IMDS}/32`, `${WIRESERVER}/32`].every((cidr) => (destination.nets as string[]).includes(cidr));
    };
    if (log?.action !== "Log" || !unconditional(log) || deny?.action !== "Deny" || !unconditional(deny)) {
        problems.push(`${name}: egress does not open with Log then Deny to ${IMDS} and ${WIRESERVER} on every protocol and port: ${JSON.stringify(spec.egress?.slice(0, 2))}`);
    }
    return problems;
}
