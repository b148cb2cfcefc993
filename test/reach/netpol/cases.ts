/**
 * Cases transcribed from Kubernetes' e2e suite test/e2e/network/netpol/network_policy.go (kubernetes/kubernetes):
 * each is "these policies, therefore this table", with the table written as the suite writes it, a default
 * (everything reachable) plus exceptions. Multi-stage upstream tests (create, then update) become one case per
 * stage. Expectations are stated by hand from the upstream test, never produced by the engine.
 *
 * Adaptations, each noted on its case: the analyzer does not know pod IPs (ipBlock matches only external
 * addresses), so the ipBlock cases probe external hosts standing in for the pod IPs; endPort cases follow the
 * suite's shape for KEP-2079, as the current suite has none.
 */
import type { ManifestObject } from "../../../reach";
import { type Model, type Protocol, model } from "./model";
import type { Reachability } from "./truthtable";

/** One probe round: a port and protocol, and the expected table. */
export interface Step {
    /** Port probed. */
    readonly port: number;
    /** Protocol probed. */
    readonly protocol: Protocol;
    /** Exceptions to the default of "everything reachable". */
    readonly expect?: (table: Reachability) => Reachability;
}

/** A case: cluster, policies, probe rounds. */
export interface NetpolCase {
    /** Upstream test name (with the stage, for multi-stage tests). */
    readonly name: string;
    /** The cluster. */
    readonly cluster: Model;
    /** Policies. */
    readonly policies: readonly ManifestObject[];
    /** Probe rounds. */
    readonly steps: readonly Step[];
}

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

function policy(namespace: string, name: string, spec: Record<string, unknown>): ManifestObject {
    return { object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec } };
}

const pod = (name: string) => ({ matchLabels: { pod: name } });
const namespaceNamed = (name: string) => ({ matchLabels: { [NAMESPACE_LABEL]: name } });
const namespaceNotIn = (name: string) => ({ matchExpressions: [{ key: NAMESPACE_LABEL, operator: "NotIn", values: [name] }] });
const everyPod = {};

// Policies the suite builds from GenNetworkPolicyWithNameAndPodSelector + SetSpecIngressRules()/SetSpecEgressRules().
const denyIngress = (namespace: string, name = "deny-ingress") =>
    policy(namespace, name, { podSelector: everyPod, policyTypes: ["Ingress"], ingress: [] });
const denyAll = (namespace: string) =>
    policy(namespace, "deny-all", { podSelector: everyPod, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });

/** An ingress-only policy on pods labelled pod=<target> in x. */
const ingressTo = (target: string, name: string, rules: unknown[]) =>
    policy("x", name, { podSelector: pod(target), policyTypes: ["Ingress"], ingress: rules });

export const CASES: readonly NetpolCase[] = [
    {
        name: "should support a 'default-deny-ingress' policy",
        cluster: model(["x/a", "x/b", "y/a", "y/b"], { ports: [80] }),
        policies: [denyIngress("x")],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectPeer({}, { namespace: "x" }, false) }],
    },
    {
        name: "should support a 'default-deny-all' policy",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [denyAll("x")],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectPeer({}, { namespace: "x" }, false).expectPeer({ namespace: "x" }, {}, false),
            },
        ],
    },
    {
        name: "should enforce policy to allow traffic from pods within server namespace based on PodSelector",
        cluster: model(["x/a", "x/b", "x/c", "y/a"], { ports: [80] }),
        policies: [ingressTo("a", "x-a-allows-x-b", [{ from: [{ podSelector: pod("b") }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true) }],
    },
    {
        name: "should enforce policy to allow ingress traffic for a target",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [
            policy("x", "deny-all", { podSelector: everyPod, policyTypes: ["Ingress"], ingress: [] }),
            ingressTo("a", "allow-all-to-a", [{ from: [{ podSelector: {}, namespaceSelector: {} }] }]),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", true).expectAllIngress("x/b", false) }],
    },
    {
        name: "should enforce policy to allow ingress traffic from pods in all namespaces",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [ingressTo("a", "allow-from-another-ns", [{ from: [{ namespaceSelector: { matchLabels: {} } }] }])],
        steps: [{ port: 80, protocol: "TCP" }],
    },
    {
        name: "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: namespaceNamed("y") }] }])],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) =>
                    r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
        ],
    },
    {
        name: "should enforce policy based on PodSelector with MatchExpressions",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [
            ingressTo("a", "x-a-allows-x-b", [{ from: [{ podSelector: { matchExpressions: [{ key: "pod", operator: "In", values: ["b"] }] } }] }]),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true) }],
    },
    {
        name: "should enforce policy based on NamespaceSelector with MatchExpressions",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [
            ingressTo("a", "allow-ns-y-match-selector", [
                { from: [{ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_LABEL, operator: "In", values: ["y"] }] } }] },
            ]),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) =>
                    r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
        ],
    },
    {
        name: "should enforce policy based on PodSelector or NamespaceSelector",
        cluster: model(["x/a", "x/b", "x/c", "y/a"], { ports: [80] }),
        policies: [ingressTo("a", "allow-ns-y-match-selector", [{ from: [{ namespaceSelector: namespaceNotIn("x") }, { podSelector: pod("b") }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expect("x/a", "x/a", false).expect("x/c", "x/a", false) }],
    },
    {
        name: "should enforce policy based on PodSelector and NamespaceSelector",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "z/b"], { ports: [80] }),
        policies: [
            ingressTo("a", "allow-ns-y-podselector-and-nsselector", [{ from: [{ namespaceSelector: namespaceNotIn("x"), podSelector: pod("b") }] }]),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectAllIngress("x/a", false).expect("y/b", "x/a", true).expect("z/b", "x/a", true),
            },
        ],
    },
    {
        name: "should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "y/c"], { ports: [80] }),
        policies: [
            ingressTo("a", "allow-ns-y-z-pod-b-c", [
                {
                    from: [
                        {
                            namespaceSelector: namespaceNotIn("x"),
                            podSelector: { matchExpressions: [{ key: "pod", operator: "In", values: ["b", "c"] }] },
                        },
                    ],
                },
            ]),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expect("y/a", "x/a", false),
            },
        ],
    },
    {
        name: "should enforce policy based on any PodSelectors",
        cluster: model(["x/a", "x/b", "x/c"], { ports: [80] }),
        policies: [ingressTo("a", "allow-ns-x-pod-b-c", [{ from: [{ podSelector: pod("b") }, { podSelector: pod("c") }] }])],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true).expect("x/c", "x/a", true),
            },
        ],
    },
    {
        name: "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "z/a"], { ports: [80] }),
        policies: [
            ingressTo("a", "allow-ns-y-pod-a-via-namespace-pod-selector", [{ from: [{ namespaceSelector: namespaceNamed("y"), podSelector: pod("a") }] }]),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true) }],
    },
    {
        name: "should enforce policy based on Ports",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "z/a"], { ports: [81] }),
        policies: [
            ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 81, protocol: "TCP" }] }]),
        ],
        steps: [
            {
                port: 81,
                protocol: "TCP",
                expect: (r) =>
                    r
                        .expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false)
                        .expectPeer({ namespace: "y" }, { namespace: "x", pod: "a" }, true)
                        .expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
        ],
    },
    {
        name: "should enforce multiple, stacked policies with overlapping podSelectors (only the port 81 policy)",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "z/a"]),
        policies: [
            ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 81, protocol: "TCP" }] }]),
        ],
        steps: [
            {
                port: 81,
                protocol: "TCP",
                expect: (r) =>
                    r
                        .expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false)
                        .expectPeer({ namespace: "y" }, { namespace: "x", pod: "a" }, true)
                        .expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
            { port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) },
        ],
    },
    {
        name: "should enforce multiple, stacked policies with overlapping podSelectors (port 80 unblocked)",
        cluster: model(["x/a", "x/b", "y/a", "y/b", "z/a"]),
        policies: [
            ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 81, protocol: "TCP" }] }]),
            ingressTo("a", "allow-client-a-via-ns-selector-80", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 80, protocol: "TCP" }] }]),
        ],
        steps: [80, 81].map((port) => ({
            port,
            protocol: "TCP" as const,
            expect: (r: Reachability) =>
                r
                    .expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false)
                    .expectPeer({ namespace: "y" }, { namespace: "x", pod: "a" }, true)
                    .expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
        })),
    },
    {
        name: "should support allow-all policy",
        cluster: model(["x/a", "x/b", "y/a"]),
        policies: [policy("x", "allow-all", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{}] })],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 81, protocol: "TCP" },
        ],
    },
    {
        name: "should allow ingress access on one named port",
        cluster: model(["x/a", "x/b", "y/a"]),
        policies: [policy("x", "allow-all", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: "serve-81-tcp" }] }] })],
        steps: [
            { port: 81, protocol: "TCP" },
            { port: 80, protocol: "TCP", expect: (r) => r.expectPeer({}, { namespace: "x" }, false) },
        ],
    },
    {
        name: "should allow ingress access from namespace on one named port",
        cluster: model(["x/a", "x/b", "y/a", "z/a"]),
        policies: [
            ingressTo("a", "allow-client-a-via-ns-selector-80", [
                { from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: "serve-80-tcp", protocol: "TCP" }] },
            ]),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) =>
                    r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
            { port: 81, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) },
        ],
    },
    {
        name: "should allow egress access on one named port",
        cluster: model(["x/a", "y/a"]),
        policies: [policy("x", "allow-egress", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [{ ports: [{ port: "serve-80-tcp" }] }] })],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 81, protocol: "TCP", expect: (r) => r.expectPeer({ namespace: "x" }, {}, false) },
        ],
    },
    {
        name: "should enforce updated policy (before: a rule {} allows all)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [policy("x", "allow-all-mutate-to-deny-all", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{}] })],
        steps: [{ port: 81, protocol: "TCP" }],
    },
    {
        name: "should enforce updated policy (after: ingress: [] denies all)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [policy("x", "allow-all-mutate-to-deny-all", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [] })],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectPeer({}, { namespace: "x" }, false) }],
    },
    {
        name: "should allow ingress access from updated namespace (before the label)",
        cluster: model(["x/a", "y/a"], { ports: [80] }),
        policies: [ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: { matchLabels: { ns2: "updated" } } }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        name: "should allow ingress access from updated namespace (after labelling y ns2=updated)",
        cluster: model(["x/a", "y/a"], { ports: [80], namespaceLabels: { y: { ns2: "updated" } } }),
        policies: [ingressTo("a", "allow-client-a-via-ns-selector", [{ from: [{ namespaceSelector: { matchLabels: { ns2: "updated" } } }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expectPeer({ namespace: "y" }, {}, true) }],
    },
    {
        name: "should allow ingress access from updated pod (before the label)",
        cluster: model(["x/a", "x/b"], { ports: [80] }),
        policies: [ingressTo("a", "allow-client-a-via-pod-selector", [{ from: [{ podSelector: { matchLabels: { pod: "b", pod2: "updated" } } }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        name: "should allow ingress access from updated pod (after labelling x/b pod2=updated)",
        cluster: model(["x/a", "x/b"], { ports: [80], podLabels: { "x/b": { pod2: "updated" } } }),
        policies: [ingressTo("a", "allow-client-a-via-pod-selector", [{ from: [{ podSelector: { matchLabels: { pod: "b", pod2: "updated" } } }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true) }],
    },
    {
        name: "should deny ingress from pods on other namespaces",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [policy("x", "deny-empty-policy", { podSelector: everyPod, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] })],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectPeer({ namespace: "y" }, { namespace: "x" }, false).expectPeer({ namespace: "z" }, { namespace: "x" }, false),
            },
        ],
    },
    {
        name: "should deny ingress access to updated pod (before the label)",
        cluster: model(["x/a", "y/a"], { ports: [80] }),
        policies: [policy("x", "deny-ingress-via-label-selector", { podSelector: { matchLabels: { target: "isolated" } }, policyTypes: ["Ingress"], ingress: [] })],
        steps: [{ port: 80, protocol: "TCP" }],
    },
    {
        name: "should deny ingress access to updated pod (after labelling x/a target=isolated)",
        cluster: model(["x/a", "y/a"], { ports: [80], podLabels: { "x/a": { target: "isolated" } } }),
        policies: [policy("x", "deny-ingress-via-label-selector", { podSelector: { matchLabels: { target: "isolated" } }, policyTypes: ["Ingress"], ingress: [] })],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        name: "should deny egress from pods based on PodSelector",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [policy("x", "deny-egress-pod-a", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [] })],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllEgress("x/a", false) }],
    },
    {
        name: "should deny egress from all pods in a namespace",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [policy("x", "deny-egress-ns-x", { podSelector: everyPod, policyTypes: ["Egress"], egress: [] })],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectPeer({ namespace: "x" }, {}, false) }],
    },
    {
        name: "should work with Ingress, Egress specified together",
        cluster: model(["x/a", "x/b", "x/c", "y/a"]),
        policies: [
            policy("x", "allow-client-a-via-pod-selector", {
                podSelector: pod("a"),
                policyTypes: ["Egress", "Ingress"],
                ingress: [{ from: [{ podSelector: pod("b") }] }],
                egress: [{ ports: [{ port: 80 }] }],
            }),
        ],
        steps: [
            { port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("x/b", "x/a", true) },
            {
                port: 81,
                protocol: "TCP",
                expect: (r) => r.expectAllIngress("x/a", false).expectAllEgress("x/a", false).expect("x/b", "x/a", true),
            },
        ],
    },
    {
        name: "should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
        cluster: model(["x/a", "y/a", "y/b"], { ports: [80] }),
        policies: [
            policy("x", "allow-to-ns-y-pod-a", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: namespaceNamed("y"), podSelector: pod("a") }] }] }),
            policy("y", "allow-from-xa-on-ya-match-selector", {
                podSelector: pod("a"),
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ namespaceSelector: namespaceNamed("x"), podSelector: pod("a") }] }],
            }),
            policy("y", "allow-from-xa-on-yb-match-selector", {
                podSelector: pod("b"),
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ namespaceSelector: namespaceNamed("x"), podSelector: pod("a") }] }],
            }),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) =>
                    r
                        .expectPeer({ namespace: "x", pod: "a" }, {}, false)
                        .expectPeer({}, { namespace: "y", pod: "a" }, false)
                        .expectPeer({ namespace: "x", pod: "a" }, { namespace: "y", pod: "a" }, true)
                        .expectPeer({}, { namespace: "y", pod: "b" }, false),
            },
        ],
    },
    {
        name: "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
        cluster: model(["x/a", "y/a", "y/b"], { ports: [80] }),
        policies: [
            policy("x", "allow-to-ns-y-pod-a", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: namespaceNamed("y"), podSelector: pod("a") }] }] }),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllEgress("x/a", false).expect("x/a", "y/a", true) }],
    },
    {
        name: "should enforce ingress policy allowing any port traffic to a server on a specific protocol",
        cluster: model(["x/a", "y/a"], { ports: [80], protocols: ["TCP", "UDP"] }),
        policies: [ingressTo("a", "allow-ingress-by-proto", [{ ports: [{ protocol: "TCP" }] }])],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 80, protocol: "UDP", expect: (r) => r.expectPeer({}, { namespace: "x", pod: "a" }, false) },
        ],
    },
    {
        name: "should enforce multiple ingress policies with ingress allow-all policy taking precedence (port 80 only)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [policy("x", "allow-ingress-port-80", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 80 }] }] })],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectPeer({}, { namespace: "x" }, false) }],
    },
    {
        name: "should enforce multiple ingress policies with ingress allow-all policy taking precedence (plus allow-all)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [
            policy("x", "allow-ingress-port-80", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 80 }] }] }),
            policy("x", "allow-ingress", { podSelector: { matchLabels: {} }, policyTypes: ["Ingress"], ingress: [{}] }),
        ],
        steps: [{ port: 81, protocol: "TCP" }],
    },
    {
        name: "should enforce multiple egress policies with egress allow-all policy taking precedence (port 80 only)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [policy("x", "allow-egress-port-80", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 80 }] }] })],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectPeer({ namespace: "x" }, {}, false) }],
    },
    {
        name: "should enforce multiple egress policies with egress allow-all policy taking precedence (plus allow-all)",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [
            policy("x", "allow-egress-port-80", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 80 }] }] }),
            policy("x", "allow-egress", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [{}] }),
        ],
        steps: [{ port: 81, protocol: "TCP" }],
    },
    {
        name: "should stop enforcing policies after they are deleted (while present)",
        cluster: model(["x/a", "y/a"], { ports: [80] }),
        policies: [denyAll("x")],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectPeer({ namespace: "x" }, {}, false).expectPeer({}, { namespace: "x" }, false),
            },
        ],
    },
    {
        name: "should stop enforcing policies after they are deleted (after deletion)",
        cluster: model(["x/a", "y/a"], { ports: [80] }),
        policies: [],
        steps: [{ port: 80, protocol: "TCP" }],
    },
    {
        // Adapted: the pod IP of y/b becomes the external host ext/server (ipBlock never matches workloads).
        name: "should allow egress access to server in CIDR block",
        cluster: model(["x/a", "y/a"], { ports: [80], hosts: { "ext/server": "10.1.2.3", "ext/other": "10.1.2.4" } }),
        policies: [
            policy("x", "allow-client-a-via-cidr-egress-rule", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }] }] }),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllEgress("x/a", false).expect("x/a", "ext/server", true) }],
    },
    {
        // Adapted: x/b's IP is ext/b; the /4 around it (makeLargeCIDRForIP) also holds ext/c. Pods are never in an ipBlock.
        name: "should enforce except clause while egress access to server in CIDR block",
        cluster: model(["x/a"], { ports: [80], hosts: { "ext/b": "10.1.2.3", "ext/c": "10.1.2.4" } }),
        policies: [
            policy("x", "allow-client-a-via-cidr-egress-rule", {
                podSelector: pod("a"),
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/4", except: ["10.1.2.3/32"] } }] }],
            }),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllEgress("x/a", false).expect("x/a", "ext/c", true) }],
    },
    {
        // Adapted as above; upstream replaces the first policy, here both stay so the union is what is tested.
        name: "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
        cluster: model(["x/a"], { ports: [80], hosts: { "ext/b": "10.1.2.3", "ext/c": "10.1.2.4" } }),
        policies: [
            policy("x", "allow-client-a-via-cidr-egress-rule", {
                podSelector: pod("a"),
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/4", except: ["10.1.2.3/32"] } }] }],
            }),
            policy("x", "allow-client-a-to-b", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.1.2.3/32" } }] }] }),
        ],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectAllEgress("x/a", false).expect("x/a", "ext/b", true).expect("x/a", "ext/c", true),
            },
        ],
    },
    {
        name: "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (egress allowed)",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [policy("x", "allow-egress-for-target", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{}] })],
        steps: [{ port: 80, protocol: "TCP" }],
    },
    {
        name: "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (ingress denied)",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [
            policy("x", "allow-egress-for-target", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{}] }),
            policy("x", "deny-ingress-via-label-selector", { podSelector: pod("a"), policyTypes: ["Ingress"], ingress: [] }),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [denyIngress("x"), ingressTo("a", "allow-only-sctp-ingress-on-port-81", [{ ports: [{ port: 81, protocol: "SCTP" }] }])],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectPeer({}, { namespace: "x" }, false) }],
    },
    {
        name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [ingressTo("a", "allow-only-sctp-ingress-on-port-80", [{ ports: [{ port: 80, protocol: "SCTP" }] }])],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        name: "should not allow access by TCP when a policy specifies only UDP",
        cluster: model(["x/a", "y/a"], { ports: [81] }),
        policies: [ingressTo("a", "allow-only-udp-ingress-on-port-81", [{ ports: [{ port: 81, protocol: "UDP" }] }])],
        steps: [{ port: 81, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) }],
    },
    {
        // Namespaces here are implicit: only the API server's kubernetes.io/metadata.name label identifies them.
        name: "should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [ingressTo("a", "allow-client-a-via-ns-selector-for-immutable-ns-label", [{ from: [{ namespaceSelector: namespaceNamed("y") }] }])],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) =>
                    r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
            },
        ],
    },
    {
        name: "should enforce policy based on NamespaceSelector with MatchExpressions using default ns label",
        cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [80] }),
        policies: [
            policy("x", "allow-ns-y-match-selector-for-immutable-ns-label", {
                podSelector: pod("a"),
                policyTypes: ["Egress"],
                egress: [{ to: [{ namespaceSelector: namespaceNotIn("y") }] }],
            }),
        ],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectPeer({ namespace: "x", pod: "a" }, { namespace: "y" }, false) }],
    },
    ...(["UDP", "SCTP"] as const).flatMap((protocol): NetpolCase[] => [
        {
            name: `should support a 'default-deny-ingress' policy (${protocol})`,
            cluster: model(["x/a", "x/b", "y/a", "y/b"], { ports: [80], protocols: [protocol] }),
            policies: [denyIngress("x", "deny-all")],
            steps: [{ port: 80, protocol, expect: (r) => r.expectPeer({}, { namespace: "x" }, false) }],
        },
        {
            name: `should enforce policy based on Ports (${protocol})`,
            cluster: model(["x/a", "x/b", "y/a", "z/a"], { ports: [81], protocols: [protocol] }),
            policies: [
                ingressTo("a", "allow-ingress-on-port-81-ns-x", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 81, protocol }] }]),
            ],
            steps: [
                {
                    port: 81,
                    protocol,
                    expect: (r) =>
                        r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
                },
            ],
        },
        {
            name: `should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector (${protocol})`,
            cluster: model(["x/a", "x/b", "y/a"], { ports: [80], protocols: [protocol] }),
            policies: [
                ingressTo("a", "allow-ns-y-pod-a-via-namespace-pod-selector", [{ from: [{ namespaceSelector: namespaceNamed("y"), podSelector: pod("a") }] }]),
            ],
            steps: [{ port: 80, protocol, expect: (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true) }],
        },
    ]),
    {
        // KEP-2079 port ranges, in the suite's shape: a range covering both served ports.
        name: "should allow ingress on a port range (endPort) from a namespace",
        cluster: model(["x/a", "x/b", "y/a", "z/a"]),
        policies: [
            ingressTo("a", "allow-port-range-from-y", [{ from: [{ namespaceSelector: namespaceNamed("y") }], ports: [{ port: 80, endPort: 81, protocol: "TCP" }] }]),
        ],
        steps: [80, 81].map((port) => ({
            port,
            protocol: "TCP" as const,
            expect: (r: Reachability) =>
                r.expectPeer({ namespace: "x" }, { namespace: "x", pod: "a" }, false).expectPeer({ namespace: "z" }, { namespace: "x", pod: "a" }, false),
        })),
    },
    {
        name: "should limit ingress to the port range (endPort) that starts above a served port",
        cluster: model(["x/a", "y/a"]),
        policies: [ingressTo("a", "allow-81-to-82", [{ ports: [{ port: 81, endPort: 82 }] }])],
        steps: [
            { port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) },
            { port: 81, protocol: "TCP" },
        ],
    },
    {
        name: "should limit egress to the port range (endPort) that ends at a served port",
        cluster: model(["x/a", "y/a"]),
        policies: [policy("x", "allow-egress-79-to-80", { podSelector: pod("a"), policyTypes: ["Egress"], egress: [{ ports: [{ port: 79, endPort: 80 }] }] })],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 81, protocol: "TCP", expect: (r) => r.expectAllEgress("x/a", false) },
        ],
    },
    {
        // From the suite's GetAllowEgressByPort helper: an egress allow list of one TCP port plus DNS over UDP.
        name: "should allow egress by port with DNS (legacy helper GetAllowEgressByPort)",
        cluster: model(["x/a", "y/a"], { protocols: ["TCP", "UDP"] }),
        policies: [
            policy("x", "allow-egress-by-port", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 80 }, { protocol: "UDP", port: 53 }] }] }),
        ],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 81, protocol: "TCP", expect: (r) => r.expectPeer({ namespace: "x" }, {}, false) },
            { port: 80, protocol: "UDP", expect: (r) => r.expectPeer({ namespace: "x" }, {}, false) },
        ],
    },
    {
        name: "should treat an empty from list as every source",
        cluster: model(["x/a", "y/a"]),
        policies: [ingressTo("a", "allow-80-from-anywhere", [{ from: [], ports: [{ port: 80 }] }])],
        steps: [
            { port: 80, protocol: "TCP" },
            { port: 81, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false) },
        ],
    },
    {
        name: "should default policyTypes to Ingress and Egress when egress rules are present",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [policy("x", "egress-to-b", { podSelector: pod("a"), egress: [{ to: [{ podSelector: pod("b") }] }] })],
        steps: [
            {
                port: 80,
                protocol: "TCP",
                expect: (r) => r.expectAllIngress("x/a", false).expectAllEgress("x/a", false).expect("x/a", "x/b", true),
            },
        ],
    },
    {
        name: "should ignore ingress rules when policyTypes lists only Egress",
        cluster: model(["x/a", "x/b", "y/a"], { ports: [80] }),
        policies: [policy("x", "egress-only", { podSelector: pod("a"), policyTypes: ["Egress"], ingress: [{ from: [{ podSelector: pod("b") }] }], egress: [{}] })],
        steps: [{ port: 80, protocol: "TCP" }],
    },
    {
        name: "should allow ingress from an ipBlock with except (external hosts)",
        cluster: model(["x/a", "y/a"], { ports: [80], hosts: { "ext/inside": "192.168.0.5", "ext/excepted": "192.168.1.5", "ext/outside": "8.8.8.8" } }),
        policies: [ingressTo("a", "allow-from-office", [{ from: [{ ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.1.0/24"] } }] }])],
        steps: [{ port: 80, protocol: "TCP", expect: (r) => r.expectAllIngress("x/a", false).expect("ext/inside", "x/a", true) }],
    },
];

export type { Protocol };
