/**
 * Calico staged policies (self-managed Calico's preview), in the "these policies, therefore this table" shape:
 * the expectations come from the API's semantics (api/pkg/apis/projectcalico/v3 staged*.go: a staged policy is the
 * enforced policy it would become plus a stagedAction, default Set; Felix evaluates it for flow logs only), never
 * from the engine. Two views of the same objects: as is (staged policies decide nothing) and as enforced
 * (enforceStagedPolicies: Set adds or replaces the policy of the same kind, namespace and name; Delete removes it).
 */
import { describe, expect, it } from "vitest";
import { type ManifestObject, analyze, enforceStagedPolicies } from "../../reach";
import { type Model, endpointsOf, model } from "./netpol/model";
import { Prober } from "./netpol/probe";
import { Reachability } from "./netpol/truthtable";

const CALICO = "projectcalico.org/v3";
const fromNamespace = (name: string) => ({ namespaceSelector: `projectcalico.org/name == '${name}'` });

function object(kind: string, name: string, spec: Record<string, unknown>, namespace?: string, apiVersion = CALICO): ManifestObject {
    return { object: { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec } };
}

/** Checks a truth table (default: everything reachable) on TCP 80, in the view given. */
function expectTable(cluster: Model, policies: ManifestObject[], exceptions: (table: Reachability) => Reachability): void {
    const prober = new Prober(cluster, policies);
    const endpoints = endpointsOf(cluster);
    const expected = exceptions(new Reachability(endpoints, true));
    const judged = (from: string, to: string): boolean => from !== to && !(from.startsWith("ext/") && to.startsWith("ext/"));
    const observed = (from: string, to: string): boolean => (judged(from, to) ? prober.canReach(from, to, 80, "TCP") : expected.get(from, to));
    const wrong = endpoints.flatMap((from) => endpoints.filter((to) => observed(from, to) !== expected.get(from, to)).map((to) => `${from} -> ${to}`));
    expect(wrong, `expected (! marks a wrong cell)\n${expected.pretty(observed)}`).toEqual([]);
}

const XYZ = model(["x/a", "y/a", "z/a"], { ports: [80] });
// Deny one namespace, allow the rest (without the Allow, the end of the default tier would drop the rest: the policy selects x).
const denyFrom = (namespace: string) => ({ order: 100, selector: "all()", types: ["Ingress"], ingress: [{ action: "Deny", source: fromNamespace(namespace) }, { action: "Allow" }] });

describe("staged policies do not enforce", () => {
    it("a StagedNetworkPolicy that denies y into x leaves everything open as is, and denies it as enforced", () => {
        const policies = [object("StagedNetworkPolicy", "deny-y", denyFrom("y"), "x")];
        expectTable(XYZ, policies, (r) => r);
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("y/a", "x/a", false));
    });

    it("a StagedKubernetesNetworkPolicy default deny isolates x only once enforced (both directions)", () => {
        const policies = [object("StagedKubernetesNetworkPolicy", "default-deny-all", { stagedAction: "Set", podSelector: {}, policyTypes: ["Ingress", "Egress"] }, "x")];
        expectTable(XYZ, policies, (r) => r);
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expectAllIngress("x/a", false).expect("x/a", "y/a", false).expect("x/a", "z/a", false));
    });

    it("a StagedGlobalNetworkPolicy in a tier is enforced in that tier, after the tier's order", () => {
        const policies = [
            object("Tier", "platform", { order: 100, defaultAction: "Pass" }),
            object("StagedGlobalNetworkPolicy", "platform.deny-z", { tier: "platform", ...denyFrom("z") }),
            // The default tier allows everything explicitly: only a tier before it can deny.
            object("GlobalNetworkPolicy", "allow-all", { order: 1, selector: "all()", types: ["Ingress"], ingress: [{ action: "Allow" }] }),
        ];
        expectTable(XYZ, policies, (r) => r);
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("z/a", "x/a", false).expect("z/a", "y/a", false));
    });
});

describe("staged policies beside enforced ones in a tier (Felix: felix/rules/endpoints.go, v3.30.7)", () => {
    // Felix skips staged policies when it programs a tier (they never set the accept or pass mark) and renders the
    // end-of-tier drop only when the endpoint's policies in the tier include a non-staged one (endOfTierDrop,
    // HasNonStagedPolicies: "If all of the policies in a tier are staged then the default end of tier behavior
    // should be pass rather than drop"). Tier `security` keeps the default defaultAction, Deny.
    const security = object("Tier", "security", { order: 100 });
    const intoX = (name: string, order: number, ingress: unknown[]) => ({ tier: "security", order, selector: "projectcalico.org/namespace == 'x'", types: ["Ingress"], ingress });

    it("a tier whose only policy is staged drops nothing today; enforced, its end of tier drops what the policy leaves undecided", () => {
        const policies = [security, object("StagedGlobalNetworkPolicy", "security.only-z", intoX("only-z", 10, [{ action: "Allow", source: fromNamespace("z") }]))];
        expectTable(XYZ, policies, (r) => r);
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("y/a", "x/a", false));
    });

    it("a staged Allow beside an enforced policy allows nothing today: the enforced policy's end of tier still drops", () => {
        const policies = [
            security,
            object("GlobalNetworkPolicy", "security.only-y", intoX("only-y", 10, [{ action: "Allow", source: fromNamespace("y") }])),
            object("StagedGlobalNetworkPolicy", "security.also-z", intoX("also-z", 20, [{ action: "Allow", source: fromNamespace("z") }])),
        ];
        expectTable(XYZ, policies, (r) => r.expect("z/a", "x/a", false));
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r);
    });

    it("a staged Pass hands traffic to the next tier only once enforced; with no later tier selecting x, it is allowed", () => {
        const policies = [
            security,
            object("StagedGlobalNetworkPolicy", "security.pass-y", intoX("pass-y", 10, [{ action: "Pass", source: fromNamespace("y") }])),
            object("GlobalNetworkPolicy", "security.deny-all", intoX("deny-all", 100, [{ action: "Deny" }])),
        ];
        expectTable(XYZ, policies, (r) => r.expectAllIngress("x/a", false));
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expectAllIngress("x/a", false).expect("y/a", "x/a", true));
    });

    it("a staged Deny before an enforced Allow changes nothing today and denies once enforced, in tier order before the default tier", () => {
        const policies = [
            security,
            object("StagedGlobalNetworkPolicy", "security.deny-y", intoX("deny-y", 10, [{ action: "Deny", source: fromNamespace("y") }])),
            object("GlobalNetworkPolicy", "security.allow-all", intoX("allow-all", 100, [{ action: "Allow" }])),
            // A default-tier default deny for x: only what the security tier allows gets in, whatever the default tier says.
            object("StagedKubernetesNetworkPolicy", "default-deny", { podSelector: {}, policyTypes: ["Ingress"] }, "x"),
        ];
        expectTable(XYZ, policies, (r) => r);
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("y/a", "x/a", false));
    });
});

describe("stagedAction against the enforced policy of the same name", () => {
    const enforcedDenyY = object("NetworkPolicy", "deny", denyFrom("y"), "x");

    it("Set replaces it: the staged version denies z instead of y", () => {
        const policies = [enforcedDenyY, object("StagedNetworkPolicy", "deny", { stagedAction: "Set", ...denyFrom("z") }, "x")];
        expectTable(XYZ, policies, (r) => r.expect("y/a", "x/a", false));
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("z/a", "x/a", false));
    });

    it("Delete removes it: y reaches x again once enforced", () => {
        const policies = [enforcedDenyY, object("StagedNetworkPolicy", "deny", { stagedAction: "Delete", ...denyFrom("y") }, "x")];
        expectTable(XYZ, policies, (r) => r.expect("y/a", "x/a", false));
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r);
    });

    it("a staged policy in another namespace, or of another kind, leaves the enforced one alone", () => {
        const policies = [
            enforcedDenyY,
            object("StagedNetworkPolicy", "deny", { stagedAction: "Delete", ...denyFrom("y") }, "z"),
            object("StagedKubernetesNetworkPolicy", "deny", { stagedAction: "Delete", podSelector: {}, policyTypes: ["Ingress"] }, "x"),
        ];
        expectTable(XYZ, enforceStagedPolicies(policies), (r) => r.expect("y/a", "x/a", false));
    });

    it("Learn and Ignore change nothing; an unknown stagedAction is refused, naming the field", () => {
        for (const action of ["Learn", "Ignore"]) {
            expectTable(XYZ, enforceStagedPolicies([enforcedDenyY, object("StagedNetworkPolicy", "deny", { stagedAction: action, ...denyFrom("z") }, "x")]), (r) => r.expect("y/a", "x/a", false));
        }
        expect(() => enforceStagedPolicies([object("StagedNetworkPolicy", "deny", { stagedAction: "Apply" }, "x")])).toThrow(/spec\.stagedAction: expected one of Set, Delete, Learn, Ignore, found "Apply"/);
    });
});

describe("the self-managed audit design in miniature (platform tier with defaultAction Pass, staged namespace policies)", () => {
    // x is an app namespace in audit: its default deny is staged. The platform tier denies egress to the metadata
    // service for every pod and passes the rest (defaultAction Pass) to the default tier.
    const cluster = model(["x/a", "y/a"], { ports: [80], hosts: { "ext/imds": "169.254.169.254", "ext/web": "203.0.113.10" } });
    const policies = [
        object("Tier", "platform", { order: 100, defaultAction: "Pass" }),
        object("GlobalNetworkPolicy", "platform.metadata-service-guardrail", {
            tier: "platform",
            order: 10,
            selector: "all()",
            namespaceSelector: "projectcalico.org/name in {'x', 'y'}",
            types: ["Egress"],
            egress: [{ action: "Deny", destination: { nets: ["169.254.169.254/32"] } }],
        }),
        object("StagedKubernetesNetworkPolicy", "default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, "x"),
    ];

    it("as is: the guardrail drops the metadata service (it is never staged), everything else flows", () => {
        expectTable(cluster, policies, (r) => r.expect("x/a", "ext/imds", false).expect("y/a", "ext/imds", false));
    });

    it("as enforced: x is isolated as well, and the guardrail still holds", () => {
        expectTable(cluster, enforceStagedPolicies(policies), (r) =>
            r.expect("x/a", "ext/imds", false).expect("y/a", "ext/imds", false).expectAllIngress("x/a", false).expect("x/a", "y/a", false).expect("x/a", "ext/web", false));
    });

    it("the model lists the staged policy and does not compile it", () => {
        const analysis = analyze(policies);
        expect(analysis.stagedPolicies.map((policy) => `${policy.kind} ${policy.namespace}/${policy.name}`)).toEqual(["StagedKubernetesNetworkPolicy x/default-deny-all"]);
        expect(analysis.policies.map((policy) => policy.name)).toEqual(["platform.metadata-service-guardrail"]);
    });
});
