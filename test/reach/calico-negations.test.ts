/**
 * Two Calico rules about negated matches, each as a truth table whose expected cells come from Calico's
 * rule conversion, not from the engine. Source: libcalico-go
 * `lib/backend/syncersv1/updateprocessors/rules.go` (Calico 3.29-3.31), read 2026-12-01:
 * - getEndpointSelector: in a namespaced policy, the rule's selector becomes
 *   `projectcalico.org/namespace == '<ns>'` (ANDed with the rule's own selector, if any) "as soon as any of
 *   the selector fields are used, including NotSelector"; notSelector itself stays a separate NotSrcSelector.
 *   A selector matches endpoints (and network sets) only, so such a rule never matches external addresses.
 *   In a global policy there is no namespace, so a lone notSelector matches every address but the excluded.
 * - RuleAPIV2ToBackend: notNets become NotSrcNets/NotDstNets, CIDR matches on the packet's address, pods
 *   included; `notNets: [0.0.0.0/0]` therefore matches no IPv4 address at all.
 */
import { describe, expect, it } from "vitest";
import { type ManifestObject, analyze, explain, formatExplanation } from "../../reach";

const CALICO = "projectcalico.org/v3";

function pod(namespace: string, name: string, labels: Record<string, string>, podIP?: string): ManifestObject {
    return { object: { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, ...(podIP ? { status: { podIP, podIPs: [{ ip: podIP }] } } : {}) } };
}

function calico(kind: "NetworkPolicy" | "GlobalNetworkPolicy", name: string, spec: Record<string, unknown>, namespace?: string): ManifestObject {
    return { object: { apiVersion: CALICO, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec } };
}

/** Which of the candidates can open a TCP 80 connection to `to` (or, for egress tables, be reached from `from`). */
function reachable(objects: ManifestObject[], pairs: readonly [string, string][]): Record<string, boolean> {
    const analysis = analyze(objects);
    const result: Record<string, boolean> = {};
    for (const [from, to] of pairs) result[`${from} -> ${to}`] = !explain(analysis, from, to).verdict.isEmpty();
    return result;
}

const PODS = [
    pod("shop", "db", { app: "db" }),
    pod("shop", "web", { app: "web" }),
    pod("shop", "api", { app: "api" }),
    pod("other", "api", { app: "api" }),
];

describe("a lone notSelector in a namespaced Calico policy stays in the policy's namespace", () => {
    it("ingress source: only the namespace's other endpoints match, never other namespaces or external addresses", () => {
        const policy = calico("NetworkPolicy", "db", { selector: "app == 'db'", ingress: [{ action: "Allow", source: { notSelector: "app == 'web'" } }] }, "shop");
        expect(reachable([...PODS, policy], [["shop/api", "shop/db"], ["shop/web", "shop/db"], ["other/api", "shop/db"], ["8.8.8.8", "shop/db"], ["10.1.2.3", "shop/db"]])).toEqual({
            "shop/api -> shop/db": true, // in shop, not app=web
            "shop/web -> shop/db": false, // excluded by notSelector
            "other/api -> shop/db": false, // outside the policy's namespace
            "8.8.8.8 -> shop/db": false, // not an endpoint: the namespace selector cannot match it
            "10.1.2.3 -> shop/db": false,
        });
    });

    it("egress destination: likewise", () => {
        const policy = calico("NetworkPolicy", "web", { selector: "app == 'web'", types: ["Egress"], egress: [{ action: "Allow", destination: { notSelector: "app == 'db'" } }] }, "shop");
        expect(reachable([...PODS, policy], [["shop/web", "shop/api"], ["shop/web", "shop/db"], ["shop/web", "other/api"], ["shop/web", "8.8.8.8"]])).toEqual({
            "shop/web -> shop/api": true,
            "shop/web -> shop/db": false,
            "shop/web -> other/api": false,
            "shop/web -> 8.8.8.8": false,
        });
    });

    it("in a GlobalNetworkPolicy a lone notSelector matches every address but the excluded endpoints", () => {
        const policy = calico("GlobalNetworkPolicy", "db", { selector: "app == 'db'", ingress: [{ action: "Allow", source: { notSelector: "app == 'web'" } }] });
        expect(reachable([...PODS, policy], [["shop/api", "shop/db"], ["shop/web", "shop/db"], ["other/api", "shop/db"], ["8.8.8.8", "shop/db"]])).toEqual({
            "shop/api -> shop/db": true,
            "shop/web -> shop/db": false,
            "other/api -> shop/db": true,
            "8.8.8.8 -> shop/db": true,
        });
    });
});

describe("notNets applies to pods by their IP", () => {
    // a and b have known IPs; c has none. t1 and t2 are the protected targets.
    const pods = [
        pod("shop", "a", { app: "a" }, "10.244.1.5"),
        pod("shop", "b", { app: "b" }, "192.168.3.3"),
        pod("shop", "c", { app: "c" }),
        pod("shop", "t1", { app: "t1" }),
        pod("shop", "t2", { app: "t2" }),
    ];
    const policies = [
        calico("NetworkPolicy", "t1", { selector: "app == 't1'", ingress: [{ action: "Allow", source: { notNets: ["0.0.0.0/0"] } }] }, "shop"),
        calico("NetworkPolicy", "t2", { selector: "app == 't2'", ingress: [{ action: "Allow", source: { notNets: ["10.0.0.0/8"] } }] }, "shop"),
    ];
    const pairs: [string, string][] = [
        ["shop/a", "shop/t1"],
        ["shop/b", "shop/t1"],
        ["shop/c", "shop/t1"],
        ["8.8.8.8", "shop/t1"],
        ["shop/a", "shop/t2"],
        ["shop/b", "shop/t2"],
        ["8.8.8.8", "shop/t2"],
        ["10.1.1.1", "shop/t2"],
    ];

    it("notNets 0.0.0.0/0 matches no IPv4 peer; known pod IPs are matched exactly", () => {
        expect(reachable([...pods, ...policies], pairs)).toEqual({
            "shop/a -> shop/t1": false, // every IPv4 address is inside 0.0.0.0/0
            "shop/b -> shop/t1": false,
            "shop/c -> shop/t1": false, // whatever its IP, it is inside 0.0.0.0/0
            "8.8.8.8 -> shop/t1": false,
            "shop/a -> shop/t2": false, // 10.244.1.5 is inside 10.0.0.0/8
            "shop/b -> shop/t2": true, // 192.168.3.3 is not
            "8.8.8.8 -> shop/t2": true,
            "10.1.1.1 -> shop/t2": false,
        });
    });

    it("a pod without a known IP follows the pod address space (Calico IPPools), and --explain says when that is unknown", () => {
        const pool = (cidr: string): ManifestObject => ({ object: { apiVersion: CALICO, kind: "IPPool", metadata: { name: "pool" }, spec: { cidr } } });
        // No IPPool in the input: c's IP may be inside or outside 10.0.0.0/8; counted as not matching, and said so.
        const unknown = analyze([...pods, ...policies]);
        const explained = explain(unknown, "shop/c", "shop/t2");
        expect(explained.verdict.isEmpty()).toBe(true);
        expect(formatExplanation(explained)).toContain("note: depends on an unknown pod IP: Calico NetworkPolicy shop/t2 ingress[0]");
        // Pods get their IPs from 10.244.0.0/16, inside 10.0.0.0/8: c cannot match notNets 10.0.0.0/8.
        const inside = explain(analyze([...pods, ...policies, pool("10.244.0.0/16")]), "shop/c", "shop/t2");
        expect(inside.verdict.isEmpty()).toBe(true);
        expect(inside.notes.join("\n")).not.toContain("unknown pod IP");
        // Pods get their IPs from 172.16.0.0/16, outside 10.0.0.0/8: c matches.
        expect(explain(analyze([...pods, ...policies, pool("172.16.0.0/16")]), "shop/c", "shop/t2").verdict.isEmpty()).toBe(false);
        // A known IP needs no assumption.
        expect(explain(unknown, "shop/b", "shop/t2").notes.join("\n")).not.toContain("unknown pod IP");
    });
});
