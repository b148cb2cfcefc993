/**
 * Host-networked pods as Felix sees them. The semantics (libcalico-go conversion.go, felix/rules/static.go):
 *  1. Calico creates no workload endpoint for a pod with `hostNetwork: true`, and AKS has no host endpoints (nor does
 *     self-managed Calico: KubeControllersConfiguration hostEndpoint.autoCreate defaults to Disabled,
 *     api/pkg/apis/projectcalico/v3/kubecontrollersconfig.go, and tigera/operator never sets it): no policy applies
 *     to it, in either direction, in either Calico mode.
 *  2. Its traffic carries its node's address: other pods' rules match it by that address (nets, ipBlock), never by
 *     labels, namespace, service account or service.
 * The cluster: namespace `apps` closed by a default deny; `app` (ordinary pod), `db` (accepts the node range
 * 10.1.0.0/24 on 5432, and pods labelled role=agent on 6432), and `agent`, host-networked, labelled role=agent, on
 * node 10.1.0.5. The expectations below come from 1 and 2, not from running the engine.
 */
import { describe, expect, it } from "vitest";
import { analyze, ConnectionSet, explain, formatWarning, parseManifests } from "../../reach";

const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "app", namespace: "apps", labels: { app: "app" } }, spec: { containers: [{ name: "c" }] }, status: { podIP: "10.244.1.7" } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "db", namespace: "apps", labels: { app: "db" } }, spec: { containers: [{ name: "c" }] }, status: { podIP: "10.244.1.8" } },
    {
        apiVersion: "v1", kind: "Pod", metadata: { name: "agent", namespace: "apps", labels: { role: "agent" } },
        spec: { hostNetwork: true, containers: [{ name: "c", ports: [{ containerPort: 9100 }] }] }, status: { podIP: "10.1.0.5" },
    },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny-all", namespace: "apps" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    {
        apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "db", namespace: "apps" },
        spec: {
            podSelector: { matchLabels: { app: "db" } },
            policyTypes: ["Ingress"],
            ingress: [
                { from: [{ ipBlock: { cidr: "10.1.0.0/24" } }], ports: [{ port: 5432 }] },
                { from: [{ podSelector: { matchLabels: { role: "agent" } } }], ports: [{ port: 6432 }] },
            ],
        },
    },
];

const analysis = analyze(parseManifests(objects.map((object) => JSON.stringify(object)).join("\n---\n"), "dump.yaml").objects);
const verdict = (source: string, destination: string) => explain(analysis, source, destination).verdict;
const TCP = (port: number) => ConnectionSet.ports("TCP", port);

describe("a host-networked pod in a namespace with a default deny", () => {
    it.each([
        // [source, destination, expected, why]
        ["apps/agent", "8.8.8.8", ConnectionSet.ALL, "1: no egress policy applies to it"],
        ["apps/agent", "169.254.169.254", ConnectionSet.ALL, "1: the default deny does not hold it, IMDS included"],
        ["203.0.113.9", "apps/agent", ConnectionSet.ALL, "1: no ingress policy applies to it"],
        ["apps/app", "apps/agent", ConnectionSet.NONE, "app's own egress is denied by the default deny"],
        ["apps/agent", "apps/app", ConnectionSet.NONE, "app's ingress: the default deny, nothing allows the node"],
        ["apps/agent", "apps/db", TCP(5432), "2: db's ipBlock holds the node address; its role=agent podSelector never matches"],
    ])("%s => %s", (source, destination, expected) => {
        expect(verdict(source, destination).format()).toBe((expected as ConnectionSet).format());
    });

    it("is flagged as unpoliced in the warnings and in --explain", () => {
        expect(analysis.warnings.map(formatWarning)).toContainEqual(expect.stringContaining("apps/agent[Pod] runs with hostNetwork: true: Calico gives it no workload endpoint, so no policy applies to it"));
        expect(explain(analysis, "apps/agent", "8.8.8.8").notes).toContainEqual(expect.stringMatching(/^apps\/agent\[Pod\] is unpoliced: it runs with hostNetwork: true/));
        expect(explain(analysis, "apps/agent", "8.8.8.8").egress.tiers).toEqual([]);
    });

    it("shows up in the connections reaching out, though the namespace is closed by default", () => {
        const outgoing = analysis.connections.filter((connection) => connection.source.display === "apps/agent[Pod]" && connection.destination.type === "external");
        expect(outgoing.length).toBeGreaterThan(0);
        expect(outgoing.every((connection) => connection.ports.equals(ConnectionSet.ALL))).toBe(true);
    });
});
