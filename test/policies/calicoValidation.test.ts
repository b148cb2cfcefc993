import { describe, expect, it } from "vitest";
import { CALICO_CRD_SCHEMAS } from "../../core/calico";
import { CALICO_VERSIONS, calicoPolicyProblems, crdSchemaProblems } from "../../core/calico";
import { readStackConfig } from "../../core/config";
import { ConfigError } from "../../core/common";
import { renderSegmentation } from "../../core/policies";
import { projectConfigValues } from "../../core/config";
import { stackConfig } from "../helpers/stack";

type Values = Record<string, any>;

function valuesOf(stack: "dev" | "prod", change: (values: Values) => void = () => undefined): Values {
    const values = structuredClone(projectConfigValues(stackConfig(stack))) as Values;
    change(values);
    return values;
}

function problemsOf(values: Values): string[] {
    try {
        readStackConfig(values, "prod");
    } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
        throw error;
    }
    return [];
}

/** Every Calico object a stack's config renders (namespace sets and global policies). */
function calicoObjectsOf(values: Values, stack: "dev" | "prod") {
    const rendered = renderSegmentation(readStackConfig(values, stack).segmentation!);
    return [...rendered.namespaces.flatMap((set) => [...set.allowPolicies, ...set.denyPolicies]), ...rendered.globalPolicies].filter((object) => object.apiVersion === "crd.projectcalico.org/v1");
}

const withCalicoOverride = (spec: Record<string, unknown>, name = "deny-legacy-db-port") => (values: Values) => {
    values.segmentation.namespaces[0].overrides = [{ apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name }, spec }];
};
const denyLegacyPort = { order: 900, selector: "app == 'database'", types: ["Ingress"], ingress: [{ action: "Deny", protocol: "TCP", destination: { ports: [5433] } }] };
/** Errors name the namespace and the override by name. */
const OVERRIDE = "aks-zero-trust:segmentation.namespaces[shop].overrides[deny-legacy-db-port]";

describe("the Calico CRDs the objects are checked against", () => {
    it("cover the versions AKS ships (3.29 on 1.32, 3.30 on 1.33, 3.31 on newer), each with its source and date", () => {
        expect(CALICO_VERSIONS).toEqual(["3.29", "3.30", "3.31"]);
        for (const version of CALICO_VERSIONS) {
            expect(CALICO_CRD_SCHEMAS[version].source).toContain(`projectcalico/calico/tree/v${version}.`);
            expect(CALICO_CRD_SCHEMAS[version].read).toBe("2026-12-01");
        }
    });

    it.each(["dev", "prod"] as const)("every Calico object the %s stack emits validates against all three CRDs and the validator rules", (stack) => {
        const variants = [
            valuesOf(stack),
            // LocalDNS needs 4 vCPUs per node (core/config/stackConfig.ts), more than dev's system pool has.
            valuesOf(stack, (values) => { values.cluster.localDns = true; values.cluster.systemPool.vmSize = "Standard_D4ds_v5"; }),
            valuesOf(stack, (values) => { values.segmentation.namespaces[0].workloads[1].egress.kubernetesApi = true; }),
        ];
        for (const values of variants) {
            const objects = calicoObjectsOf(values, stack);
            expect(objects.length).toBeGreaterThan(2);
            for (const object of objects) {
                expect(calicoPolicyProblems(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
            }
        }
    });

    it("the schema walk reports unknown fields and wrong types, naming the versions", () => {
        const object = { apiVersion: "crd.projectcalico.org/v1", kind: "GlobalNetworkPolicy", metadata: { name: "x" }, spec: { order: "first", selctor: "all()", egress: [{ action: "Allow", destination: { ports: [true] } }] } };
        expect(crdSchemaProblems(object, "GlobalNetworkPolicy").map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
            "spec.order: expected a number, found \"first\": the API server would reject the object (Calico 3.29, 3.30, 3.31 GlobalNetworkPolicy CRD)",
            expect.stringMatching(/^spec\.selctor: unknown field "selctor": the API server would silently drop it, as the CRD's structural schema prunes unknown fields \(expected one of: .*selector.*\) \(Calico 3\.29, 3\.30, 3\.31 GlobalNetworkPolicy CRD\)$/),
            "spec.egress[0].destination.ports[0]: expected an integer or a string, found true: the API server would reject the object (Calico 3.29, 3.30, 3.31 GlobalNetworkPolicy CRD)",
        ]);
    });
});

describe("Calico overrides are read as Felix reads them", () => {
    it("a correct override is accepted", () => {
        expect(problemsOf(valuesOf("prod", withCalicoOverride(denyLegacyPort)))).toEqual([]);
    });

    it("the edge values Felix accepts are accepted: ports 1 and 1:65535, ICMP type 254 with code 255, a service in another namespace", () => {
        const edges = {
            order: 900,
            selector: "all()",
            types: ["Ingress", "Egress"],
            ingress: [
                { action: "Deny", protocol: "TCP", destination: { ports: [1, "1:65535"] } },
                { action: "Deny", protocol: "ICMP", icmp: { type: 254, code: 255 } },
                { action: "Deny", source: { nets: ["0.0.0.0/0", "10.0.0.1"] } },
            ],
            egress: [{ action: "Deny", destination: { services: { name: "kubernetes", namespace: "default" } } }],
        };
        expect(problemsOf(valuesOf("prod", withCalicoOverride(edges)))).toEqual([]);
    });

    it("tier: security is rejected: Felix 3.29-3.31 take the tier of a v1 policy from its name", () => {
        expect(problemsOf(valuesOf("prod", withCalicoOverride({ ...denyLegacyPort, tier: "security" })))).toEqual([
            `${OVERRIDE}.spec.tier: is "security", but Calico 3.29-3.31 ignore spec.tier on crd.projectcalico.org/v1 policies and take the tier from the name (no dot: default); the policy would land in the default tier. Remove spec.tier (overrides live in the default tier) (override NetworkPolicy deny-legacy-db-port)`,
        ]);
    });

    it("a name with a dot is rejected, with the tier Calico would read from it", () => {
        expect(problemsOf(valuesOf("prod", withCalicoOverride(denyLegacyPort, "security.deny-legacy")))).toEqual([
            `aks-zero-trust:segmentation.namespaces[shop].overrides[security.deny-legacy].metadata.name: "security.deny-legacy" contains a dot: Calico 3.29-3.31 read the tier of a crd.projectcalico.org/v1 policy from its name ("security"); overrides live in the default tier, so use a name without dots`,
        ]);
    });

    it("a Kubernetes NetworkPolicy override may have a dot in its name (no tier there)", () => {
        expect(problemsOf(valuesOf("prod", (values) => {
            values.segmentation.namespaces[0].overrides = [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "legacy.db" }, spec: { podSelector: {} } }];
        }))).toEqual([]);
    });

    it("a field typo (selctor) fails at validation, naming the override and the field", () => {
        const typo = { ...denyLegacyPort, ingress: [{ action: "Deny", protocol: "TCP", destination: { selctor: "app == 'x'", ports: [5433] } }] };
        expect(problemsOf(valuesOf("prod", withCalicoOverride(typo)))).toEqual([
            expect.stringMatching(new RegExp(`^${OVERRIDE.replace(/[[\].]/g, "\\$&")}\\.spec\\.ingress\\[0\\]\\.destination\\.selctor: unknown field "selctor": the API server would silently drop it, as the CRD's structural schema prunes unknown fields`)),
        ]);
    });

    it.each([
        ["ports without a protocol", { ingress: [{ action: "Deny", destination: { ports: [5433] } }] }, "spec.ingress[0].destination.ports: rules that specify ports must set protocol to TCP or UDP or SCTP"],
        ["ports with ICMP", { ingress: [{ action: "Deny", protocol: "ICMP", destination: { ports: [5433] } }] }, "spec.ingress[0].destination.ports: rules that specify ports must set protocol to TCP or UDP or SCTP"],
        ["a services match with a selector", { types: ["Egress"], ingress: undefined, egress: [{ action: "Deny", destination: { services: { name: "kubernetes", namespace: "default" }, selector: "all()" } }] }, "spec.egress[0].destination.services: cannot specify selector/notSelector and services on the same rule"],
        ["a services match with nets", { types: ["Egress"], ingress: undefined, egress: [{ action: "Deny", destination: { services: { name: "kubernetes", namespace: "default" }, nets: ["10.0.0.0/8"] } }] }, "spec.egress[0].destination.services: cannot specify nets/notNets and services on the same rule"],
        ["a services match with ports", { types: ["Egress"], ingress: undefined, egress: [{ action: "Deny", protocol: "TCP", destination: { services: { name: "kubernetes", namespace: "default" }, ports: [443] } }] }, "spec.egress[0].destination.services: cannot specify ports with a service match: the service's endpoint ports apply"],
        ["a bad selector", { selector: "app = 'database'" }, "spec.selector: invalid selector"],
        ["an unknown action", { ingress: [{ action: "Drop" }] }, "spec.ingress[0].action: expected one of Allow, Deny, Log, Pass, found \"Drop\""],
        ["an unknown type", { types: ["Inbound"] }, "spec.types[0]: expected Ingress or Egress, found \"Inbound\""],
        ["a repeated type", { types: ["Ingress", "Ingress"] }, "spec.types[1]: 'Ingress' type specified more than once"],
        ["a bad CIDR", { ingress: [{ action: "Deny", source: { nets: ["10.0.0.0/33"] } }] }, "spec.ingress[0].source.nets[0]: invalid CIDR \"10.0.0.0/33\": Calico would skip it, and a rule left without nets matches any address"],
        // Felix governs a direction only when types name it (policy_sorter.go): these rules would never apply.
        ["ingress rules with types: [Egress]", { types: ["Egress"] }, "spec.ingress: has rules, but spec.types does not list Ingress: Felix would ignore them"],
        // Go's net.ParseCIDR (Go >= 1.17) rejects leading zeros; libcalico-go's ConvertStringsToNets then skips the net.
        ["a CIDR with a leading zero", { ingress: [{ action: "Allow", source: { nets: ["010.0.0.0/8"] } }] }, "spec.ingress[0].source.nets[0]: invalid CIDR \"010.0.0.0/8\""],
        // Felix's v1 validatePort: MinPort < 1 is invalid, and the whole policy is dropped.
        ["port 0", { ingress: [{ action: "Deny", protocol: "TCP", destination: { ports: [0] } }] }, "spec.ingress[0].destination.ports[0]: expected a port 1-65535"],
        ["a range starting at 0", { ingress: [{ action: "Deny", protocol: "TCP", destination: { ports: ["0:80"] } }] }, "spec.ingress[0].destination.ports[0]: expected a port 1-65535"],
        // ICMPFields: type 0-254, code 0-255, and a code needs a type (validateICMPFields).
        ["an ICMP code without a type", { ingress: [{ action: "Deny", protocol: "ICMP", icmp: { code: 0 } }] }, "spec.ingress[0].icmp.code: ICMP code specified without an ICMP type"],
        ["ICMP type 255", { ingress: [{ action: "Deny", protocol: "ICMP", icmp: { type: 255 } }] }, "spec.ingress[0].icmp.type: expected an ICMP type 0-254, found 255"],
        // updateprocessors/rules.go copies services.namespace as is: empty never names a Service, so the rule matches nothing.
        ["a services match without a namespace", { types: ["Egress"], ingress: undefined, egress: [{ action: "Deny", destination: { services: { name: "kubernetes" } } }] }, "spec.egress[0].destination.services.namespace: is required: Calico 3.29-3.31 do not default it to the policy's namespace"],
    ])("%s is rejected as Calico's validator would", (_, change, expected) => {
        const problems = problemsOf(valuesOf("prod", withCalicoOverride({ ...denyLegacyPort, ...change })));
        expect(problems).toEqual([expect.stringContaining(`${OVERRIDE}.${expected}`)]);
    });
});
