import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../core/calico";
import { readStackConfig } from "../../core/config";
import { renderRepresentativeWorkloads, renderSegmentation } from "../../core/policies";
import { projectConfigValues } from "../../core/config";
import type { SegmentationIntent } from "../../core/intent";
import { asEnforced, asManifests, checkIntent } from "../../core/proof";
import { analyze, ConnectionSet, explain, formatConnection } from "../../reach";
import { stackConfig } from "../helpers/stack";

const intentOf = (stack: "dev" | "prod") => readStackConfig(projectConfigValues(stackConfig(stack)), stack).segmentation!;

/**
 * The stack's intent in the AKS-managed rendering (crd.projectcalico.org/v1, default tier), straight from the renderer:
 * what prod applies, and dev's intent (audit) as AKS-managed Calico would take it. Dev itself ships self-managed (v3);
 * both renderings, in audit and enforce, are checked in the last describe below and in platformEndpoints.test.ts.
 */
function appliedFor(stack: "dev" | "prod"): KubeObject[] {
    return appliedOf(intentOf(stack));
}

/** An intent's AKS-managed rendering, as the cluster would hold it. */
function appliedOf(intent: SegmentationIntent): KubeObject[] {
    const rendered = renderSegmentation(intent);
    return [...rendered.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies]), ...rendered.globalPolicies];
}

/** Prod's intent after a change to its stack config values. */
function prodWith(change: (values: Record<string, any>) => void): SegmentationIntent {
    const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
    change(values);
    return readStackConfig(values, "prod").segmentation!;
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
        expect(result.violations).toEqual([expect.stringMatching(/^missing: shop\/backend\[Pod\] => internet : TCP 443 is declared \(FQDN egress\) but not allowed to \d+ public range\(s\), e\.g\. 0\.0\.0\.0-10\.19\.255\.255\[External\]$/)]);
    });
});

describe("AKS LocalDNS", () => {
    const prodWithLocalDns = () => prodWith((values) => { values.cluster.localDns = true; });

    it("DNS through the node-local listeners 169.254.10.10/11 is expected DNS, so prod with localDns passes", () => {
        const intent = prodWithLocalDns();
        expect(checkIntent(intent, appliedOf(intent), renderRepresentativeWorkloads(intent)).violations).toEqual([]);
    });

    it("anything but DNS to the LocalDNS listeners is still unexpected", () => {
        const intent = prodWithLocalDns();
        const wide: KubeObject = {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "hotfix", namespace: "shop" },
            spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "169.254.10.10/32" } }] }] },
        };
        const violations = checkIntent(intent, [...appliedOf(intent), wide], renderRepresentativeWorkloads(intent)).violations;
        expect(violations).toContain("unexpected: shop/frontend[Pod] => 169.254.10.10[External] : TCP 1-52,54-65535,UDP 1-52,54-65535,SCTP,OTHER is allowed but not declared");
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

    it("Calico overrides order after the platform-address guardrail (order 0), which no allow may precede", () => {
        const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
        values.segmentation.namespaces[0].overrides = [
            { apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name: "early-allow" }, spec: { order: 0, selector: "all()", types: ["Egress"], egress: [{ action: "Allow" }] } },
        ];
        expect(() => readStackConfig(values, "prod")).toThrow(
            "aks-zero-trust:segmentation.namespaces[shop].overrides[early-allow].spec.order: is 0, but Calico overrides must order after the platform-address guardrail (order 0), which denies the instance metadata service and WireServer before anything can allow them; use an order above 0",
        );
    });

    it("must carry order and types when they are Calico objects, and must not reuse generated names", () => {
        const values = structuredClone(projectConfigValues(stackConfig("prod"))) as Record<string, any>;
        values.segmentation.namespaces[0].overrides = [
            { apiVersion: "crd.projectcalico.org/v1", kind: "NetworkPolicy", metadata: { name: "no-order" }, spec: { selector: "all()" } },
            { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "workload-backend" }, spec: { podSelector: {} } },
        ];
        expect(() => readStackConfig(values, "prod")).toThrow([
            "Invalid stack config (3 problems):",
            "  - aks-zero-trust:segmentation.namespaces[shop].overrides[no-order].spec.order: is required for Calico overrides (crd.projectcalico.org/v1 applies no defaults)",
            "  - aks-zero-trust:segmentation.namespaces[shop].overrides[no-order].spec.types: is required for Calico overrides: list Ingress and/or Egress",
            "  - aks-zero-trust:segmentation.namespaces[shop].overrides[workload-backend].metadata.name: \"workload-backend\" is already used by a generated policy",
        ].join("\n"));
    });
});

describe("zero trust beyond the declared namespaces (prod)", () => {
    const intent = intentOf("prod");
    const pods = renderRepresentativeWorkloads(intent);
    const lines = analyze(asManifests([...appliedFor("prod"), ...pods])).connections.map(formatConnection);
    const PROBE = "undeclared-namespace/probe[Pod]";

    it("a pod in a namespace nobody declared reaches DNS and nothing else, and nothing reaches it", () => {
        expect(lines.filter((line) => line.startsWith(`${PROBE} =>`))).toEqual([`${PROBE} => kube-system/coredns[Pod] : TCP 53,UDP 53`]);
        expect(lines.filter((line) => line.includes(`=> ${PROBE}`))).toEqual([]);
    });

    it("no external range reaches the monitoring namespace", () => {
        expect(lines.filter((line) => line.includes("[External] => monitoring/"))).toEqual([]);
    });

    it("shop/backend does not reach the API server, though its internet allowance covers public IPv4", () => {
        expect(lines.filter((line) => line.startsWith("shop/backend[Pod] => default/kubernetes"))).toEqual([]);
    });

    it("without the baseline, the check names the undeclared pod's open flows", () => {
        const withoutBaseline = appliedFor("prod").filter((object) => object.metadata.name !== "zero-trust-baseline");
        const violations = checkIntent(intent, withoutBaseline, pods).violations;
        expect(violations).toContain(`unexpected: kube-system/coredns[Pod] => ${PROBE} : All Connections is allowed but not declared`);
        // The guardrail alone still selects it for egress in the default tier: what it does not decide is dropped at
        // the tier's end (Calico), so its DNS is gone too.
        expect(violations).toContain(`missing: ${PROBE} => kube-system/coredns[Pod] : TCP 53,UDP 53 is declared but not allowed`);
    });

    it("in an audit stack, an undeclared namespace reaches the API server only if the baseline's every-mode deny is gone", () => {
        const dev = intentOf("dev");
        const devPods = renderRepresentativeWorkloads(dev);
        expect(checkIntent(dev, appliedFor("dev"), devPods).violations).toEqual([]);
        const withoutApiDeny = appliedFor("dev").map((object) => {
            if (object.metadata.name !== "zero-trust-baseline") return object;
            const spec = object.spec as { egress: Array<{ destination?: { services?: unknown } }> };
            return { ...object, spec: { ...spec, egress: spec.egress.filter((rule) => rule.destination?.services === undefined) } };
        });
        expect(checkIntent(dev, withoutApiDeny, devPods).violations).toEqual([
            `in every mode: ${PROBE} => default/kubernetes[APIServer] : TCP 443 is allowed by the policies as deployed, but its intent has no kubernetesApi (via GlobalNetworkPolicy zero-trust-baseline rule Allow to anywhere: all protocols; a public API server is an address in public IPv4)`,
        ]);
    });

    it("without the API-server deny, the check fails naming the path through which backend reaches it", () => {
        const withoutDeny = appliedFor("prod").filter((object) => object.metadata.name !== "deny-kubernetes-api");
        expect(checkIntent(intent, withoutDeny, pods).violations).toEqual([
            expect.stringMatching(/^unexpected: shop\/backend\[Pod\] => default\/kubernetes\[APIServer\] : TCP 443 is allowed but not declared \(via NetworkPolicy shop\/workload-backend .*; a public API server is an address in public IPv4\)$/),
        ]);
    });

    it("in audit mode the API-server deny only logs, and the check still evaluates it as enforce would", () => {
        const dev = intentOf("dev");
        expect(checkIntent(dev, appliedFor("dev"), renderRepresentativeWorkloads(dev)).violations).toEqual([]);
    });
});

describe("the check does not grade its own work", () => {
    const editBackendEgress = (objects: KubeObject[], edit: (rule: any) => void) =>
        objects.map((object) => {
            if (object.metadata.name !== "workload-backend") return object;
            const copy = structuredClone(object) as any;
            copy.spec.egress.forEach(edit);
            return copy as KubeObject;
        });

    it("a pod CIDR outside RFC 1918 (198.18.0.0/16) stays out of the internet allowance, and the check knows it on its own", () => {
        const intent = prodWith((v) => { v.cluster.podCidr = "198.18.0.0/16"; });
        const applied = appliedOf(intent);
        expect(checkIntent(intent, applied, renderRepresentativeWorkloads(intent)).violations).toEqual([]);
        // A renderer that forgot the pod CIDR in its except list: backend would reach every pod by address.
        const forgotPods = editBackendEgress(applied, (rule) => rule.to.forEach((peer: any) => peer.ipBlock && (peer.ipBlock.except = peer.ipBlock.except.filter((cidr: string) => cidr !== "198.18.0.0/16"))));
        // No policy names 198.18.0.0/16 any more, so the engine reports the merged range that holds it.
        expect(checkIntent(intent, forgotPods, renderRepresentativeWorkloads(intent)).violations).toEqual([
            "unexpected: shop/backend[Pod] => 192.169.0.0-255.255.255.255[External] : TCP 443 is allowed but not declared",
        ]);
    });

    it("a flow with endPort is allowed on the whole range, and a range rendered one short is caught", () => {
        const intent = prodWith((v) => { v.segmentation.flows[0].ports = [80, { port: 8000, endPort: 8010, protocol: "TCP" }]; });
        const applied = appliedOf(intent);
        expect(checkIntent(intent, applied, renderRepresentativeWorkloads(intent)).violations).toEqual([]);
        const oneShort = editBackendEgress(applied, () => undefined).map((object) => {
            if (object.metadata.name !== "workload-frontend") return object;
            const copy = structuredClone(object) as any;
            copy.spec.egress.forEach((rule: any) => rule.ports.forEach((port: any) => port.endPort === 8010 && (port.endPort = 8009)));
            return copy as KubeObject;
        });
        expect(checkIntent(intent, oneShort, renderRepresentativeWorkloads(intent)).violations).toEqual([
            "missing: shop/frontend[Pod] => shop/backend[Pod] : TCP 8010 is declared but not allowed",
        ]);
    });
});

describe("guardrails that hold in every mode, checked on the policies as deployed", () => {

    it("without the platform-address guardrail, dev's intent (audit, AKS-managed rendering) fails: every pod reaches IMDS and WireServer through audit's Allow", () => {
        const dev = intentOf("dev");
        const withoutGuardrail = appliedFor("dev").filter((object) => object.metadata.name !== "deny-platform-endpoints");
        const violations = checkIntent(dev, withoutGuardrail, renderRepresentativeWorkloads(dev)).violations;
        for (const pod of ["shop/frontend[Pod]", "shop/backend[Pod]", "shop/database[Pod]", "ingress-nginx/ingress-nginx-peer[Pod]", "undeclared-namespace/probe[Pod]"]) {
            expect(violations).toContain(`in every mode: ${pod} => 169.254.169.254 (the instance metadata service) : All Connections is allowed by the policies as deployed`);
            expect(violations).toContain(`in every mode: ${pod} => 168.63.129.16 (WireServer) : All Connections is allowed by the policies as deployed`);
        }
        // Infrastructure is always enforced: its own egress policy ends in Deny, so it never reached them.
        expect(violations.filter((line) => line.includes("monitoring/"))).toEqual([]);
    });

    it("a peer with egress 20.0.0.0/8:443 and no kubernetesApi cannot reach the API server; without its deny the check fails", () => {
        const intent = prodWith((v) => { v.segmentation.peers[0].egress = { cidrs: [{ cidr: "20.0.0.0/8", ports: [443] }] }; });
        const applied = appliedOf(intent);
        const pods = renderRepresentativeWorkloads(intent);
        expect(checkIntent(intent, applied, pods).violations).toEqual([]);
        const peer = (applied.find((object) => object.metadata.name === "peer-ingress-nginx")!.spec as { egress: Array<{ action: string; destination?: { services?: unknown } }> }).egress;
        // Logged and denied before the range rule that could hold the public API server.
        expect(peer.findIndex((rule) => rule.action === "Deny" && rule.destination?.services !== undefined)).toBeLessThan(peer.findIndex((rule) => JSON.stringify(rule).includes("20.0.0.0/8")));
        const withoutDeny = applied.map((object) => {
            if (object.metadata.name !== "peer-ingress-nginx") return object;
            const spec = object.spec as { egress: Array<{ destination?: { services?: unknown } }> };
            return { ...object, spec: { ...spec, egress: spec.egress.filter((rule) => rule.destination?.services === undefined) } };
        });
        const violations = checkIntent(intent, withoutDeny, pods).violations;
        const path = "(via GlobalNetworkPolicy peer-ingress-nginx rule Allow to nets 20.0.0.0/8: TCP ports TCP 443; uncertain: the rule holds part of public IPv4, where a public API server may be)";
        expect(violations).toEqual([
            `in every mode: ingress-nginx/ingress-nginx-peer[Pod] => default/kubernetes[APIServer] : TCP 443 is allowed by the policies as deployed, but its intent has no kubernetesApi ${path}`,
            `unexpected: ingress-nginx/ingress-nginx-peer[Pod] => default/kubernetes[APIServer] : TCP 443 is allowed but not declared ${path}`,
        ]);
    });

    it("the webhook path from konnectivity-agent is proven: without the peer's allow, the check names it", () => {
        const intent = intentOf("prod");
        const withoutWebhook = appliedFor("prod").map((object) => {
            if (object.metadata.name !== "peer-ingress-nginx") return object;
            const spec = object.spec as { ingress: Array<{ source?: { selector?: string } }> };
            return { ...object, spec: { ...spec, ingress: spec.ingress.filter((rule) => rule.source?.selector !== "app == 'konnectivity-agent'") } };
        });
        expect(checkIntent(intent, withoutWebhook, renderRepresentativeWorkloads(intent)).violations).toEqual([
            "missing: kube-system/konnectivity-agent[Pod] => ingress-nginx/ingress-nginx-peer[Pod] : TCP 8443 is declared but not allowed",
        ]);
    });

    it("prod's ingress peer accepts the load balancer's health probes from 168.63.129.16; without the allow the check names them", () => {
        const intent = intentOf("prod");
        const analysis = analyze(asManifests([...appliedFor("prod"), ...renderRepresentativeWorkloads(intent)]));
        expect(explain(analysis, "168.63.129.16", "ingress-nginx/ingress-nginx-peer").verdict.format()).toBe("TCP 80,443");
        const withoutProbes = appliedFor("prod").map((object) => {
            if (object.metadata.name !== "peer-ingress-nginx") return object;
            const spec = object.spec as { ingress: Array<{ source?: { nets?: string[] } }> };
            return { ...object, spec: { ...spec, ingress: spec.ingress.filter((rule) => !rule.source?.nets?.includes("168.63.129.16/32")) } };
        });
        expect(checkIntent(intent, withoutProbes, renderRepresentativeWorkloads(intent)).violations).toEqual([
            "missing: 168.63.129.16-168.63.129.16 => ingress-nginx/ingress-nginx-peer[Pod] : TCP 80,443 is declared but not allowed",
        ]);
    });

    it("fails when nothing enforces the policies (networkPolicy none or cilium, no self-managed Calico)", () => {
        const intent = intentOf("prod");
        const unenforced = { ...intent, cluster: { ...intent.cluster, networkPolicy: "none" as const } };
        expect(checkIntent(unenforced, appliedFor("prod"), renderRepresentativeWorkloads(intent)).violations).toEqual([
            "unenforced: aks-zero-trust:cluster.networkPolicy is \"none\": no network policy engine runs, so no policy is enforced; the segmentation needs networkPolicy: calico (AKS-managed Calico) or cluster.calico.mode: self-managed",
        ]);
    });
});

describe("the peer guardrails in every rendering: AKS-managed (v1) and self-managed (v3, tier platform), audit and enforce", () => {
    const RENDERINGS = [["aks-managed", "dev"], ["aks-managed", "prod"], ["self-managed", "dev"], ["self-managed", "prod"]] as const;
    const rendered = (stack: "dev" | "prod", calico: "aks-managed" | "self-managed", change: (values: Record<string, any>) => void = () => undefined) => {
        const values = structuredClone(projectConfigValues(stackConfig(stack))) as Record<string, any>;
        values.cluster.calico = calico === "self-managed" ? { mode: "self-managed", version: "3.33.1" } : { mode: "aks-managed" };
        change(values);
        const config = readStackConfig(values, stack);
        const segmentation = renderSegmentation(config.segmentation!, config.cluster.calico.mode);
        const objects = [...segmentation.tiers, ...segmentation.globalPolicies, ...segmentation.namespaces.flatMap((set) => [set.namespaceObject, ...set.allowPolicies, ...set.denyPolicies])];
        return { intent: config.segmentation!, objects };
    };
    const PEER = "ingress-nginx/ingress-nginx-peer";
    const peerPolicy = (calico: string) => (calico === "aks-managed" ? "peer-ingress-nginx" : "platform.peer-ingress-nginx");

    it.each(RENDERINGS)("%s, %s: a peer with egress 20.0.0.0/8:443 and no kubernetesApi cannot reach the API server; without its deny the check fails", (calico, stack) => {
        const { intent, objects } = rendered(stack, calico, (v) => { v.segmentation.peers[0].egress = { cidrs: [{ cidr: "20.0.0.0/8", ports: [443] }] }; });
        const pods = renderRepresentativeWorkloads(intent);
        expect(checkIntent(intent, objects, pods).violations).toEqual([]);
        // As deployed (audit included): the peer's policy is never staged, and its services-match deny comes first.
        const deployed = analyze(asManifests([...objects, ...pods]));
        expect(explain(deployed, PEER, "default/kubernetes").verdict.isEmpty()).toBe(true);
        // Its declared range: exactly that in enforce; audit lets the undeclared rest through as well (the baseline logs).
        const range = explain(deployed, PEER, "20.1.2.3").verdict;
        expect(range.covers(ConnectionSet.ports("TCP", 443))).toBe(true);
        expect(range.format() === "TCP 443").toBe(stack === "prod");
        const withoutDeny = objects.map((object) => {
            if (object.metadata.name !== peerPolicy(calico)) return object;
            const spec = object.spec as { egress: Array<{ destination?: { services?: unknown } }> };
            return { ...object, spec: { ...spec, egress: spec.egress.filter((rule) => rule.destination?.services === undefined) } };
        });
        expect(checkIntent(intent, withoutDeny, pods).violations).toContainEqual(expect.stringMatching(
            new RegExp(`^in every mode: ${PEER.replace("/", "\\/")}\\[Pod\\] => default\\/kubernetes\\[APIServer\\] : TCP 443 is allowed by the policies as deployed, but its intent has no kubernetesApi \\(via GlobalNetworkPolicy ${peerPolicy(calico).replace(".", "\\.")} rule Allow to nets 20\\.0\\.0\\.0\\/8: TCP ports TCP 443; uncertain: `),
        ));
    });

    it.each(RENDERINGS)("%s, %s: the ingress peer accepts the load balancer's health probes from 168.63.129.16 on its VNet ports, and nothing else from there", (calico, stack) => {
        const { intent, objects } = rendered(stack, calico);
        const deployed = analyze(asManifests([...objects, ...renderRepresentativeWorkloads(intent)]));
        // Declared: VNet clients on 80 and 443 (ingressFrom cidr), so the Azure load balancer probes those ports.
        // Exactly those in enforce; audit lets the rest through as well, and nothing but the peer's allow is enforced there.
        const probes = explain(deployed, "168.63.129.16", PEER).verdict;
        expect(probes.covers(ConnectionSet.ports("TCP", 80).union(ConnectionSet.ports("TCP", 443)))).toBe(true);
        expect(probes.format() === "TCP 80,443").toBe(stack === "prod");
        expect(explain(deployed, "168.63.129.16", "shop/frontend").verdict.isEmpty()).toBe(stack === "prod");
        if (stack === "dev") {
            // The probe allow is in the peer's own policy, enforced in every mode: as enforced, audit keeps exactly it.
            const enforced = analyze(asManifests([...asEnforced(objects), ...renderRepresentativeWorkloads(intent)]));
            expect(explain(enforced, "168.63.129.16", PEER).verdict.format()).toBe("TCP 80,443");
        }
    });
});
