/**
 * Calico semantics, in the same "these policies, therefore this table" shape as the Kubernetes cases:
 * tiers and orders, Allow/Deny/Log/Pass, end-of-tier drops, global policies and selector scoping.
 */
import { describe, expect, it } from "vitest";
import { type ManifestObject, analyze, compareConnections, explain, formatConnection } from "../../reach";
import { type Model, type Protocol, clusterObjects, endpointsOf, model } from "./netpol/model";
import { Prober } from "./netpol/probe";
import { Reachability } from "./netpol/truthtable";

const CALICO = "projectcalico.org/v3";

function calicoPolicy(namespace: string, name: string, spec: Record<string, unknown>, apiVersion = CALICO): ManifestObject {
    return { object: { apiVersion, kind: "NetworkPolicy", metadata: { name, namespace }, spec } };
}

function globalPolicy(name: string, spec: Record<string, unknown>): ManifestObject {
    return { object: { apiVersion: CALICO, kind: "GlobalNetworkPolicy", metadata: { name }, spec } };
}

function tier(name: string, order: number, defaultAction?: string): ManifestObject {
    return { object: { apiVersion: CALICO, kind: "Tier", metadata: { name }, spec: { order, ...(defaultAction ? { defaultAction } : {}) } } };
}

function kubernetesPolicy(namespace: string, name: string, spec: Record<string, unknown>): ManifestObject {
    return { object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec } };
}

const fromNamespace = (name: string) => ({ namespaceSelector: `projectcalico.org/name == '${name}'` });

/** Checks a truth table (default: everything reachable) on one port and protocol. */
function expectTable(
    cluster: Model,
    policies: ManifestObject[],
    exceptions: (table: Reachability) => Reachability,
    port = 80,
    protocol: Protocol = "TCP",
): void {
    const prober = new Prober(cluster, policies);
    const endpoints = endpointsOf(cluster);
    const expected = exceptions(new Reachability(endpoints, true));
    const judged = (from: string, to: string): boolean => from !== to && !(from.startsWith("ext/") && to.startsWith("ext/"));
    const observed = (from: string, to: string): boolean => (judged(from, to) ? prober.canReach(from, to, port, protocol) : expected.get(from, to));
    const wrong = endpoints.flatMap((from) => endpoints.filter((to) => observed(from, to) !== expected.get(from, to)).map((to) => `${from} -> ${to}`));
    expect(wrong, `${protocol} ${port}: expected (! marks a wrong cell)\n${expected.pretty(observed)}`).toEqual([]);
}

const XYZ = model(["x/a", "y/a", "z/a"], { ports: [80] });

describe("Calico policy order within a tier", () => {
    it("a Deny at order 100 wins over an Allow at order 200", () => {
        expectTable(
            XYZ,
            [
                calicoPolicy("x", "allow-all", { order: 200, selector: "all()", ingress: [{ action: "Allow" }] }),
                calicoPolicy("x", "deny-y", { order: 100, selector: "all()", ingress: [{ action: "Deny", source: fromNamespace("y") }] }),
            ],
            (r) => r.expect("y/a", "x/a", false),
        );
    });

    it("an Allow at order 100 wins over a Deny at order 200", () => {
        expectTable(
            XYZ,
            [
                calicoPolicy("x", "allow-all", { order: 100, selector: "all()", ingress: [{ action: "Allow" }] }),
                calicoPolicy("x", "deny-y", { order: 200, selector: "all()", ingress: [{ action: "Deny", source: fromNamespace("y") }] }),
            ],
            (r) => r,
        );
    });

    it("a policy without order comes last, and equal orders go by name", () => {
        expectTable(
            XYZ,
            [
                calicoPolicy("x", "deny-y", { selector: "all()", ingress: [{ action: "Deny", source: fromNamespace("y") }] }),
                calicoPolicy("x", "allow-all", { order: 100, selector: "all()", ingress: [{ action: "Allow" }] }),
            ],
            (r) => r,
        );
        expectTable(
            XYZ,
            [
                calicoPolicy("x", "b-allow-all", { order: 100, selector: "all()", ingress: [{ action: "Allow" }] }),
                calicoPolicy("x", "a-deny-y", { order: 100, selector: "all()", ingress: [{ action: "Deny", source: fromNamespace("y") }] }),
            ],
            (r) => r.expect("y/a", "x/a", false),
        );
    });

    it("Deny before Allow inside one policy; a namespaced rule selector stays in the policy's namespace", () => {
        expectTable(
            model(["x/a", "x/b", "x/c", "y/c"], { ports: [80] }),
            [
                calicoPolicy("x", "no-c", {
                    selector: "pod == 'a'",
                    ingress: [{ action: "Deny", source: { selector: "pod == 'c'" } }, { action: "Allow" }],
                }),
            ],
            (r) => r.expect("x/c", "x/a", false),
        );
    });

    it("Log does not decide: evaluation continues to the next rule and policy", () => {
        expectTable(
            model(["x/a", "x/b", "y/b"], { ports: [80] }),
            [
                calicoPolicy("x", "log-everything", { order: 100, selector: "all()", ingress: [{ action: "Log" }] }),
                calicoPolicy("x", "allow-b", { order: 200, selector: "pod == 'a'", ingress: [{ action: "Allow", source: { selector: "pod == 'b'" } }] }),
            ],
            (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true).expectAllIngress("x/b", false),
        );
    });

    it("Kubernetes policies sit at order 1000 of the default tier", () => {
        const allowAll = kubernetesPolicy("x", "allow-all", { podSelector: {}, ingress: [{}] });
        const denyY = (order: number) => calicoPolicy("x", "deny-y", { order, selector: "all()", ingress: [{ action: "Deny", source: fromNamespace("y") }] });
        expectTable(XYZ, [allowAll, denyY(500)], (r) => r.expect("y/a", "x/a", false));
        expectTable(XYZ, [allowAll, denyY(1500)], (r) => r);
    });

    it("crd.projectcalico.org/v1 objects with explicit types mean the same as projectcalico.org/v3", () => {
        expectTable(
            XYZ,
            [calicoPolicy("x", "deny-y", { selector: "all()", types: ["Ingress"], ingress: [{ action: "Deny", source: fromNamespace("y") }, { action: "Allow" }] }, "crd.projectcalico.org/v1")],
            (r) => r.expect("y/a", "x/a", false),
        );
    });
});

describe("the tier of a crd.projectcalico.org/v1 policy comes from its name (Felix 3.29-3.31)", () => {
    // Denies y in tier `security` (before the default tier), passes the rest on; x's Kubernetes policy allows everything.
    // Explicit types: a v1 object without them would also isolate egress (see "Calico types when the spec leaves them out").
    const denyYInSecurity = { tier: "security", order: 2000, selector: "all()", types: ["Ingress"], ingress: [{ action: "Deny", source: fromNamespace("y") }, { action: "Pass" }] };
    const allowAllIntoX = kubernetesPolicy("x", "allow-all", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] });

    it("a projectcalico.org/v3 object keeps spec.tier: y is denied before the Kubernetes policy", () => {
        expectTable(XYZ, [tier("security", 100), calicoPolicy("x", "deny-y", denyYInSecurity), allowAllIntoX], (r) => r.expect("y/a", "x/a", false));
    });

    it("a crd.projectcalico.org/v1 object named without a dot lands in the default tier after the Kubernetes policy, whatever spec.tier says", () => {
        expectTable(XYZ, [tier("security", 100), calicoPolicy("x", "deny-y", denyYInSecurity, "crd.projectcalico.org/v1"), allowAllIntoX], (r) => r);
        const { warnings } = analyze([tier("security", 100), calicoPolicy("x", "deny-y", denyYInSecurity, "crd.projectcalico.org/v1"), allowAllIntoX, ...clusterObjects(XYZ)]);
        expect(warnings.map((warning) => warning.message)).toContain(
            "Calico NetworkPolicy x/deny-y: Felix reads the tier of a crd.projectcalico.org/v1 policy from its name (default), not spec.tier (security)",
        );
    });

    it("a crd.projectcalico.org/v1 object named security.deny-y is in tier security", () => {
        expectTable(XYZ, [tier("security", 100), calicoPolicy("x", "security.deny-y", { ...denyYInSecurity, tier: undefined }, "crd.projectcalico.org/v1"), allowAllIntoX], (r) => r.expect("y/a", "x/a", false));
    });
});

describe("Calico tiers", () => {
    const passYDenyRest = globalPolicy("security.pass-y", {
        tier: "security",
        order: 10,
        selector: "projectcalico.org/namespace == 'x'",
        ingress: [{ action: "Pass", source: fromNamespace("y") }, { action: "Deny" }],
    });

    it("Pass hands traffic to the next tier; with no later tier selecting the endpoint it is allowed", () => {
        expectTable(XYZ, [tier("security", 100), passYDenyRest], (r) => r.expect("z/a", "x/a", false));
    });

    it("Pass hands traffic to the next tier, whose end-of-tier drop still applies", () => {
        expectTable(
            XYZ,
            [tier("security", 100), passYDenyRest, kubernetesPolicy("x", "deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] })],
            (r) => r.expectAllIngress("x/a", false),
        );
    });

    it("end of tier drops traffic only for endpoints some policy of the tier selected", () => {
        expectTable(
            model(["x/a", "x/b", "x/c"], { ports: [80] }),
            [
                tier("security", 100),
                calicoPolicy("x", "security.only-b-to-a", {
                    tier: "security",
                    selector: "pod == 'a'",
                    ingress: [{ action: "Allow", source: { selector: "pod == 'b'" } }],
                }),
            ],
            (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true),
        );
    });

    it("tiers run in tier order", () => {
        const denyY = (tierName: string) =>
            globalPolicy(`${tierName}.deny-y`, {
                tier: tierName,
                selector: "all()",
                ingress: [{ action: "Deny", source: fromNamespace("y") }, { action: "Pass" }],
            });
        const allowAll = (tierName: string) => globalPolicy(`${tierName}.allow-all`, { tier: tierName, selector: "all()", ingress: [{ action: "Allow" }] });
        expectTable(XYZ, [tier("first", 10), tier("second", 20), denyY("first"), allowAll("second")], (r) =>
            r.expect("y/a", "x/a", false).expect("y/a", "z/a", false),
        );
        expectTable(XYZ, [tier("first", 20), tier("second", 10), denyY("first"), allowAll("second")], (r) => r);
    });

    it("a tier with defaultAction Pass passes undecided traffic on instead of dropping it", () => {
        const allowZ = (tierName: string) =>
            globalPolicy(`${tierName}.allow-z`, { tier: tierName, selector: "projectcalico.org/namespace == 'x'", ingress: [{ action: "Allow", source: fromNamespace("z") }] });
        expectTable(XYZ, [tier("platform", 100, "Pass"), allowZ("platform")], (r) => r);
        expectTable(XYZ, [tier("platform", 100), allowZ("platform")], (r) => r.expect("y/a", "x/a", false));
    });
});

describe("Calico global policies and selector scope", () => {
    it("a GlobalNetworkPolicy with namespaceSelector applies to that namespace only; types default to Ingress", () => {
        expectTable(XYZ, [globalPolicy("isolate-y", { namespaceSelector: "projectcalico.org/name == 'y'", selector: "all()" })], (r) =>
            r.expectAllIngress("y/a", false),
        );
    });

    it("a global rule selector without namespaceSelector matches endpoints in every namespace", () => {
        expectTable(
            model(["x/a", "x/b", "y/a", "y/b", "z/c"], { ports: [80] }),
            [globalPolicy("a-from-b", { selector: "pod == 'a'", ingress: [{ action: "Allow", source: { selector: "pod == 'b'" } }] })],
            (r) =>
                r
                    .expectAllIngress("x/a", false)
                    .expectAllIngress("y/a", false)
                    .expect("x/b", "x/a", true)
                    .expect("y/b", "x/a", true)
                    .expect("x/b", "y/a", true)
                    .expect("y/b", "y/a", true),
        );
    });

    it("selector all() in a rule matches endpoints only; a rule without selector matches any address", () => {
        const hosts = { "ext/dns": "8.8.8.8" };
        const cluster = model(["x/a", "x/b", "y/a"], { ports: [80], hosts });
        expectTable(cluster, [calicoPolicy("x", "endpoints-only", { selector: "pod == 'a'", egress: [{ action: "Allow", destination: { selector: "all()" } }] })], (r) =>
            r.expectAllEgress("x/a", false).expect("x/a", "x/b", true),
        );
        expectTable(cluster, [calicoPolicy("x", "anywhere", { selector: "pod == 'a'", egress: [{ action: "Allow" }] })], (r) => r);
    });

    it("!= and not in select pods without the label; has() and starts with select by presence and prefix", () => {
        const cluster = model(["x/a", "x/b", "x/c"], { ports: [80], podLabels: { "x/a": { tier: "web" }, "x/b": { tier: "api-v2" } } });
        const isolate = (selector: string) => globalPolicy("isolate", { selector, types: ["Ingress"] });
        expectTable(cluster, [isolate("tier != 'web'")], (r) => r.expectAllIngress("x/b", false).expectAllIngress("x/c", false));
        expectTable(cluster, [isolate("tier not in {'web', 'api-v2'}")], (r) => r.expectAllIngress("x/c", false));
        expectTable(cluster, [isolate("has(tier) && tier starts with 'api'")], (r) => r.expectAllIngress("x/b", false));
        expectTable(cluster, [isolate("!has(tier) || tier ends with 'web'")], (r) => r.expectAllIngress("x/a", false).expectAllIngress("x/c", false));
        expectTable(cluster, [isolate("tier contains 'pi-v'")], (r) => r.expectAllIngress("x/b", false));
    });

    it("nets and notNets match external addresses, never workloads", () => {
        const hosts = { "ext/ten": "10.2.0.1", "ext/carved": "10.1.0.1", "ext/public": "8.8.8.8" };
        expectTable(
            model(["x/a", "y/a"], { ports: [80], hosts }),
            [globalPolicy("ten-only", { selector: "pod == 'a' && projectcalico.org/namespace == 'x'", egress: [{ action: "Allow", destination: { nets: ["10.0.0.0/8"], notNets: ["10.1.0.0/16"] } }] })],
            (r) => r.expectAllEgress("x/a", false).expect("x/a", "ext/ten", true),
        );
    });

    it("a GlobalNetworkSet is matched by label like an endpoint", () => {
        const networkSet: ManifestObject = {
            object: { apiVersion: CALICO, kind: "GlobalNetworkSet", metadata: { name: "dns", labels: { role: "dns-servers" } }, spec: { nets: ["8.8.8.8/32"] } },
        };
        expectTable(
            model(["x/a"], { ports: [80], hosts: { "ext/google": "8.8.8.8", "ext/cloudflare": "1.1.1.1" } }),
            [networkSet, globalPolicy("dns", { selector: "all()", egress: [{ action: "Allow", destination: { selector: "role == 'dns-servers'" } }] })],
            (r) => r.expectAllEgress("x/a", false).expect("x/a", "ext/google", true),
        );
    });
});

describe("Calico protocols and ports", () => {
    const cluster = model(["x/a", "y/a"]);

    it("port ranges a:b and notPorts", () => {
        const policies = [calicoPolicy("x", "range", { selector: "all()", ingress: [{ action: "Allow", protocol: "TCP", destination: { ports: ["80:81"], notPorts: [81] } }] })];
        expectTable(cluster, policies, (r) => r, 80);
        expectTable(cluster, policies, (r) => r.expectAllIngress("x/a", false), 81);
    });

    it("named ports resolve against the destination's container ports", () => {
        const policies = [calicoPolicy("x", "named", { selector: "all()", ingress: [{ action: "Allow", protocol: "TCP", destination: { ports: ["serve-81-tcp"] } }] })];
        expectTable(cluster, policies, (r) => r.expectAllIngress("x/a", false), 80);
        expectTable(cluster, policies, (r) => r, 81);
    });

    it("notProtocol excludes one protocol", () => {
        const tcpAndUdp = model(["x/a", "y/a"], { ports: [80], protocols: ["TCP", "UDP"] });
        const policies = [calicoPolicy("x", "no-udp", { selector: "all()", ingress: [{ action: "Allow", notProtocol: "UDP" }] })];
        expectTable(tcpAndUdp, policies, (r) => r, 80, "TCP");
        expectTable(tcpAndUdp, policies, (r) => r.expectAllIngress("x/a", false), 80, "UDP");
    });

    it("serviceAccounts.names selects by the pod's service account", () => {
        const objects: ManifestObject[] = [
            { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "api", namespace: "x", labels: { app: "api" } }, spec: { serviceAccountName: "api" } } },
            { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "x", labels: { app: "web" } }, spec: { serviceAccountName: "web" } } },
            { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "db", namespace: "x", labels: { app: "db" } } } },
            calicoPolicy("x", "db", { selector: "app == 'db'", ingress: [{ action: "Allow", protocol: "TCP", source: { serviceAccounts: { names: ["api"] } }, destination: { ports: [5432] } }] }),
        ];
        const lines = analyze(objects).connections.filter((c) => c.destination.display === "x/db[Pod]").map(formatConnection);
        expect(lines).toEqual(["x/api[Pod] => x/db[Pod] : TCP 5432"]);
    });
});

describe("Calico types when the spec leaves them out", () => {
    const pod = (name: string) => ({ object: { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "x", labels: { app: name } }, spec: { containers: [{ name: "c" }] } } });
    const ingressOnly = { order: 10, selector: "app == 'a'", ingress: [{ action: "Allow" }] };

    // projectcalico.org/v3 objects go through clientv3, which defaults types from the rule lists (Ingress here);
    // crd.projectcalico.org/v1 objects are not defaulted and Felix reads empty types as Ingress and Egress
    // (felix/calc/policy_sorter.go ExtractPolicyMetadata), so the policy isolates a's egress with no rule to allow it.
    it.each([
        ["projectcalico.org/v3: types default to Ingress, a's egress stays open", CALICO, ["x/a[Pod] => x/b[Pod] : All Connections"]],
        ["crd.projectcalico.org/v1: no types means both, a's egress is dropped at the end of the default tier", "crd.projectcalico.org/v1", []],
    ])("%s", (_, apiVersion, expected) => {
        const lines = analyze([pod("a"), pod("b"), calicoPolicy("x", "only-ingress", ingressOnly, apiVersion)]).connections.map(formatConnection);
        expect(lines.filter((line) => line.startsWith("x/a[Pod] => x/b"))).toEqual(expected);
    });
});

describe("Calico services rules", () => {
    const pod = (name: string, namespace = "x", labels: Record<string, string> = { app: name }, ports: unknown[] = []) => ({
        object: { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels }, spec: { containers: [{ name: "c", ports }] } },
    });
    const denyEgress = kubernetesPolicy("x", "deny-egress", { podSelector: {}, policyTypes: ["Egress"] });

    it("services {kubernetes, default} is the API server pseudo-endpoint on TCP 443", () => {
        const objects = [
            pod("client"),
            denyEgress,
            globalPolicy("allow-apiserver", {
                order: 10,
                selector: "projectcalico.org/namespace == 'x'",
                egress: [{ action: "Allow", protocol: "TCP", destination: { services: { name: "kubernetes", namespace: "default" } } }],
            }),
        ];
        const connections = analyze(objects).connections;
        expect([...connections].sort(compareConnections)).toEqual(connections);
        const lines = connections.map(formatConnection);
        expect(lines).toContain("x/client[Pod] => default/kubernetes[APIServer] : TCP 443");
        expect(lines.filter((line) => line.startsWith("x/client[Pod] =>"))).toEqual(["x/client[Pod] => default/kubernetes[APIServer] : TCP 443"]);
    });

    describe("the public API server is somewhere in public IPv4", () => {
        const client = pod("client");
        const egressTo = (to: Record<string, unknown>) => kubernetesPolicy("x", "egress", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [to], ports: [{ protocol: "TCP", port: 443 }] }] });
        const reachesApiServer = (objects: ManifestObject[]) => analyze(objects).connections.map(formatConnection).includes("x/client[Pod] => default/kubernetes[APIServer] : TCP 443");
        const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "168.63.129.16/32"];

        // Its real address is unknown offline: an allow that holds any public address may hold it ("uncertain"), and
        // is counted as reaching it; only a range with no public address surely misses it.
        it.each([
            ["an ipBlock 0.0.0.0/0 minus private, shared and Azure platform ranges", egressTo({ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }), true],
            ["an ipBlock 0.0.0.0/0", egressTo({ ipBlock: { cidr: "0.0.0.0/0" } }), true],
            ["an ipBlock of one public /8 only (Azure API servers live in 20.0.0.0/8)", egressTo({ ipBlock: { cidr: "20.0.0.0/8" } }), true],
            ["an ipBlock 0.0.0.0/0 minus one public /16", egressTo({ ipBlock: { cidr: "0.0.0.0/0", except: ["20.1.0.0/16"] } }), true],
            ["private ranges only", egressTo({ ipBlock: { cidr: "10.0.0.0/8" } }), false],
            ["WireServer only (never an API server)", egressTo({ ipBlock: { cidr: "168.63.129.16/32" } }), false],
        ])("%s: reaches it = %s", (_, policy, expected) => {
            expect(reachesApiServer([client, policy])).toBe(expected);
        });

        // A rule with notNets and no nets covers every address but those: it holds the API server only if no public address is excluded.
        it.each([
            ["notNets of the private ranges", privateRanges, true],
            ["notNets of one public /8", ["20.0.0.0/8"], true],
            ["notNets of all IPv4 in two halves", ["0.0.0.0/1", "128.0.0.0/1"], false],
        ])("a Calico rule with %s only: reaches it = %s", (_, notNets, expected) => {
            const calico = calicoPolicy("x", "egress", {
                order: 10,
                selector: "all()",
                types: ["Egress"],
                egress: [
                    { action: "Allow", protocol: "TCP", destination: { notNets, ports: [443] } },
                    // Names the API server so that the analysis holds its pseudo-endpoint; it matches no traffic of the client.
                    { action: "Allow", protocol: "UDP", destination: { services: { name: "kubernetes", namespace: "default" } } },
                ],
            });
            expect(reachesApiServer([client, calico])).toBe(expected);
        });

        it("a Calico nets/notNets rule covering all public IPv4 reaches it", () => {
            const calico = calicoPolicy("x", "egress", { order: 10, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", protocol: "TCP", destination: { nets: ["0.0.0.0/0"], notNets: privateRanges, ports: [443] } }] });
            expect(reachesApiServer([client, calico])).toBe(true);
        });

        it("a services Deny on default/kubernetes ordered before the ipBlock allow keeps it out", () => {
            const deny = calicoPolicy("x", "deny-kubernetes-api", { order: 600, selector: "all()", types: ["Egress"], egress: [{ action: "Deny", destination: { services: { name: "kubernetes", namespace: "default" } } }] });
            expect(reachesApiServer([client, deny, egressTo({ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } })])).toBe(false);
        });

        it("a services Deny on default/kubernetes ordered before a public /8 allow keeps it out", () => {
            const deny = calicoPolicy("x", "deny-kubernetes-api", { order: 600, selector: "all()", types: ["Egress"], egress: [{ action: "Deny", destination: { services: { name: "kubernetes", namespace: "default" } } }] });
            expect(reachesApiServer([client, deny, egressTo({ ipBlock: { cidr: "20.0.0.0/8" } })])).toBe(false);
        });

        it("a Deny of one public /8 does not count as denying it: the API server may lie elsewhere", () => {
            const deny = calicoPolicy("x", "deny-twenty", { order: 600, selector: "all()", types: ["Egress"], egress: [{ action: "Deny", destination: { nets: ["20.0.0.0/8"] } }] });
            expect(reachesApiServer([client, deny, egressTo({ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } })])).toBe(true);
        });

        it("--explain marks a path through part of public IPv4 as uncertain", () => {
            const analysis = analyze([client, egressTo({ ipBlock: { cidr: "20.0.0.0/8" } })]);
            expect(explain(analysis, "x/client", "default/kubernetes[APIServer]").notes).toContain(
                "uncertain: NetworkPolicy x/egress egress[0] allows part of public IPv4, where the public API server may be; counted as reaching it (a `services` match on default/kubernetes that denies first would settle it)",
            );
        });

        it("--explain says how the API server is reached offline", () => {
            const analysis = analyze([client, egressTo({ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } })]);
            expect(explain(analysis, "x/client", "default/kubernetes[APIServer]").notes).toContain(
                "the public API server's address is unknown offline: it is reached by a `services` match on default/kubernetes, by a rule with no address limit, or by an ipBlock/nets that holds public addresses (all public IPv4: surely; part of it: uncertain)",
            );
        });
    });

    it("the API server pseudo-endpoint is absent when no rule names it", () => {
        const analysis = analyze([pod("client")]);
        expect(analysis.workloads.map((workload) => workload.display)).toEqual(["x/client[Pod]"]);
    });

    it("a Service with a selector matches its pods on the target ports", () => {
        const objects = [
            pod("client"),
            pod("backend", "x", { app: "backend" }, [{ containerPort: 8080, name: "http" }]),
            pod("other", "x", { app: "other" }),
            { object: { apiVersion: "v1", kind: "Service", metadata: { name: "backend", namespace: "x" }, spec: { selector: { app: "backend" }, ports: [{ port: 80, targetPort: "http" }] } } },
            denyEgress,
            calicoPolicy("x", "to-backend", { order: 10, selector: "app == 'client'", egress: [{ action: "Allow", protocol: "TCP", destination: { services: { name: "backend", namespace: "x" } } }] }),
        ];
        const lines = analyze(objects).connections.map(formatConnection).filter((line) => line.startsWith("x/client[Pod]"));
        expect(lines).toEqual(["x/client[Pod] => x/backend[Pod] : TCP 8080"]);
    });

    // Felix 3.29-3.31: updateprocessors/rules.go copies services.namespace as written and rule_scanner.go looks up
    // "<namespace>/<name>"; nothing defaults an empty namespace to the policy's, so the IP set stays empty.
    it.each([
        ["an Allow without services.namespace allows nothing", "Allow", []],
        ["a Deny without services.namespace denies nothing", "Deny", ["x/client[Pod] => x/backend[Pod] : TCP 8080"]],
    ])("%s", (_, action, expected) => {
        const objects = [
            pod("client"),
            pod("backend", "x", { app: "backend" }, [{ containerPort: 8080, name: "http" }]),
            { object: { apiVersion: "v1", kind: "Service", metadata: { name: "backend", namespace: "x" }, spec: { selector: { app: "backend" }, ports: [{ port: 80, targetPort: "http" }] } } },
            calicoPolicy("x", "client-egress", {
                order: 10,
                selector: "app == 'client'",
                types: ["Egress"],
                egress: [{ action, protocol: "TCP", destination: { services: { name: "backend" } } }, ...(action === "Deny" ? [{ action: "Allow", protocol: "TCP", destination: { ports: [8080] } }] : [])],
            }),
        ];
        const analysis = analyze(objects);
        expect(analysis.connections.map(formatConnection).filter((line) => line.startsWith("x/client[Pod] => x/backend"))).toEqual(expected);
        expect(analysis.warnings.map((warning) => warning.message)).toContain("services backend has no namespace: Calico does not default it to the policy's namespace, so the rule matches nothing");
    });
});
