import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { readStackConfig, StackConfig } from "../../core/config";
import { ConfigError } from "../../core/common";
import { planFirewallRules } from "../../core/firewall";
import { policyCount, renderSegmentation } from "../../core/policies";
import { projectConfigValues } from "../../core/config";
import { exemptNamespaces, SYSTEM_NAMESPACES } from "../../core/calico";
import { matchesSelector, parseSelector } from "../../reach";
import { stackConfig } from "../helpers/stack";

function config(stack: "dev" | "prod", change: (values: Record<string, any>) => void = () => undefined): StackConfig {
    const values = structuredClone(projectConfigValues(stackConfig(stack))) as Record<string, any>;
    change(values);
    return readStackConfig(values, stack);
}

/** Problems from reading the config and rendering its policies (the budgets are checked on what is rendered). */
function problemsOf(change: (values: Record<string, any>) => void): string[] {
    try {
        const read = config("prod", change);
        if (read.segmentation) renderSegmentation(read.segmentation);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
        throw error;
    }
    return [];
}

const shopOf = (stackConfigValue: StackConfig) => renderSegmentation(stackConfigValue.segmentation!).namespaces.find((set) => set.namespace === "shop")!;
const byName = <T extends { metadata: { name: string } }>(objects: readonly T[], name: string): T => objects.find((object) => object.metadata.name === name)!;

describe("namespace policy sets rendered from the intent", () => {
    const shop = shopOf(config("prod"));
    const all = [...shop.allowPolicies, ...shop.denyPolicies];

    it("renders the ADR reference app with no more than 7 policies", () => {
        expect(all.map((policy) => `${policy.apiVersion} ${policy.kind} ${policy.metadata.name}`)).toEqual([
            "networking.k8s.io/v1 NetworkPolicy allow-dns",
            "networking.k8s.io/v1 NetworkPolicy workload-backend",
            "networking.k8s.io/v1 NetworkPolicy workload-database",
            "networking.k8s.io/v1 NetworkPolicy workload-frontend",
            "crd.projectcalico.org/v1 NetworkPolicy deny-kubernetes-api",
            "crd.projectcalico.org/v1 NetworkPolicy log-denied",
            "networking.k8s.io/v1 NetworkPolicy default-deny-all",
        ]);
        expect(policyCount(shop)).toBeLessThanOrEqual(7);
    });

    it("labels the namespace with its policy set and mode", () => {
        expect(shop.namespaceObject.metadata).toEqual({
            name: "shop",
            labels: {
                team: "shop", "app.kubernetes.io/managed-by": "aks-zero-trust", "aks-zero-trust.io/policy-set": "enabled", "aks-zero-trust.io/mode": "enforce",
                // Pod Security Admission: baseline by default forbids hostNetwork, hostPID, hostIPC and privileged pods.
                "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "baseline", "pod-security.kubernetes.io/audit": "baseline",
            },
        });
    });

    it("enforces the restricted Pod Security level where the intent asks for it", () => {
        const restricted = shopOf(config("prod", (v) => { v.segmentation.namespaces[0].podSecurity = "restricted"; }));
        expect(restricted.namespaceObject.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
    });

    it("refuses Pod Security labels set by hand: the level is podSecurity's to set", () => {
        expect(problemsOf((v) => { v.segmentation.namespaces[0].labels["pod-security.kubernetes.io/enforce"] = "privileged"; })).toEqual([
            "aks-zero-trust:segmentation.namespaces[shop].labels.pod-security.kubernetes.io/enforce: the stack sets the Pod Security Admission labels itself (enforce: baseline); choose the level with podSecurity: baseline or restricted",
        ]);
        expect(problemsOf((v) => { v.segmentation.namespaces[0].podSecurity = "privileged"; })).toEqual([
            'aks-zero-trust:segmentation.namespaces[shop].podSecurity: expected one of "baseline", "restricted", got "privileged"',
        ]);
    });

    it("denies all ingress and egress by default for every pod", () => {
        expect(byName(all, "default-deny-all").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    it("lets every pod resolve names through kube-dns on UDP and TCP 53", () => {
        expect(byName(all, "allow-dns").spec).toEqual({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
            }],
        });
    });

    it("adds the LocalDNS listeners when LocalDNS is on", () => {
        const withLocalDns = shopOf(config("prod", (v) => { v.cluster.localDns = true; }));
        const rule = (byName(withLocalDns.allowPolicies, "allow-dns").spec as any).egress[0];
        expect(rule.to.slice(1)).toEqual([{ ipBlock: { cidr: "169.254.10.10/32" } }, { ipBlock: { cidr: "169.254.10.11/32" } }]);
    });

    it("gives the database ingress from the backend on 5432 and no egress at all beyond DNS", () => {
        expect(byName(all, "workload-database").spec).toEqual({
            podSelector: { matchLabels: { app: "database", tier: "data" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "backend", tier: "api" } } }], ports: [{ protocol: "TCP", port: 5432 }] }],
        });
    });

    it("lets the frontend reach only the backend on 80, and accept the ingress controller on 8080", () => {
        expect(byName(all, "workload-frontend").spec).toEqual({
            podSelector: { matchLabels: { app: "frontend", tier: "web" } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8080 }] }],
            egress: [{ to: [{ podSelector: { matchLabels: { app: "backend", tier: "api" } } }], ports: [{ protocol: "TCP", port: 80 }] }],
        });
    });

    it("opens internet egress for the backend on 443 only, never to private, link-local or cluster ranges", () => {
        const egress = (byName(all, "workload-backend").spec as any).egress;
        expect(egress[0]).toEqual({
            to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "100.64.0.0/10", "168.63.129.16/32", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"] } }],
            ports: [{ protocol: "TCP", port: 443 }],
        });
    });

    it("adds the backend's FQDN to the firewall as an application rule from the node subnet", () => {
        const prod = config("prod");
        const groups = planFirewallRules(prod, renderSegmentation(prod.segmentation!).firewallFqdns);
        const workloadRules = groups.find((group) => group.name === "workload-egress")!.ruleCollections[0].rules;
        expect(workloadRules).toContainEqual({ ruleType: "ApplicationRule", name: "shop-backend", sourceAddresses: ["10.20.16.0/20"], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns: ["api.stripe.com"] });
    });

    it("logs then denies unmatched traffic in enforce mode, after the Kubernetes policies", () => {
        expect(byName(all, "log-denied").spec).toEqual({
            order: 2000, selector: "all()", types: ["Ingress", "Egress"],
            ingress: [{ action: "Log" }, { action: "Deny" }],
            egress: [{ action: "Log" }, { action: "Deny" }],
        });
    });

    it("logs then allows unmatched traffic in audit mode, and a namespace can override the stack default", () => {
        const dev = shopOf(config("dev"));
        expect(dev.mode).toBe("audit");
        expect((byName(dev.denyPolicies, "log-denied").spec as any).ingress).toEqual([{ action: "Log" }, { action: "Allow" }]);
        const overridden = shopOf(config("dev", (v) => { v.segmentation.namespaces[0].mode = "enforce"; }));
        expect((byName(overridden.denyPolicies, "log-denied").spec as any).egress).toEqual([{ action: "Log" }, { action: "Deny" }]);
    });

    it("adds a Calico service rule for workloads that may reach the Kubernetes API", () => {
        const withApi = shopOf(config("prod", (v) => { v.segmentation.namespaces[0].workloads[1].egress.kubernetesApi = true; }));
        expect(byName(withApi.allowPolicies, "allow-kubernetes-api").spec).toEqual({
            order: 500, selector: "(app == 'backend' && tier == 'api')", types: ["Egress"],
            egress: [{ action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } }],
        });
    });

    it("is deterministic: rendering twice, or from reordered config, gives byte-identical YAML", () => {
        const first = stringify(renderSegmentation(config("prod").segmentation!));
        const second = stringify(renderSegmentation(config("prod").segmentation!));
        const reordered = stringify(renderSegmentation(config("prod", (v) => {
            v.segmentation.flows.reverse();
            v.segmentation.namespaces[0].workloads.reverse();
        }).segmentation!));
        expect(second).toBe(first);
        expect(reordered).toBe(first);
    });
});

describe("infrastructure global policies", () => {
    const globals = renderSegmentation(config("prod").segmentation!).globalPolicies;

    it("let monitoring scrape the declared ports on app pods only, ahead of namespace policies", () => {
        expect(byName(globals, "infra-monitoring-ingress")).toEqual({
            apiVersion: "crd.projectcalico.org/v1",
            kind: "GlobalNetworkPolicy",
            metadata: { name: "infra-monitoring-ingress", labels: { "app.kubernetes.io/managed-by": "aks-zero-trust" } },
            spec: {
                order: 100,
                namespaceSelector: "aks-zero-trust.io/policy-set == 'enabled'",
                selector: "all()",
                types: ["Ingress"],
                ingress: [{ action: "Allow", protocol: "TCP", source: { namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "app.kubernetes.io/name == 'prometheus'" }, destination: { ports: [9090, 9187] } }],
            },
        });
    });

    it("allowlist the monitoring pods' egress: DNS, the scrape ports and the API server", () => {
        const spec = byName(globals, "infra-monitoring-egress").spec as any;
        expect(spec.namespaceSelector).toBe("projectcalico.org/name == 'monitoring'");
        expect(spec.types).toEqual(["Egress"]);
        expect(spec.egress.map((rule: any) => JSON.stringify(rule.destination))).toEqual([
            JSON.stringify({ namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] }),
            JSON.stringify({ namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] }),
            JSON.stringify({ namespaceSelector: "aks-zero-trust.io/policy-set == 'enabled'", ports: [9090, 9187] }),
            JSON.stringify({ services: { name: "kubernetes", namespace: "default" } }),
            undefined,
            undefined,
        ]);
        // Always enforced, whatever the mode: the rest is logged and denied before the baseline could allow it.
        expect(spec.egress.slice(-2)).toEqual([{ action: "Log" }, { action: "Deny" }]);
    });

    it("isolate the monitoring namespace on ingress: with no declared sources, everything is logged and denied", () => {
        expect(byName(globals, "infra-monitoring-accept").spec).toEqual({
            order: 100,
            namespaceSelector: "projectcalico.org/name == 'monitoring'",
            selector: "all()",
            types: ["Ingress"],
            ingress: [{ action: "Log" }, { action: "Deny" }],
        });
        const withSource = renderSegmentation(config("prod", (v) => { v.segmentation.infrastructure[0].ingressFrom = [{ cidr: "10.20.32.0/24", ports: [9090] }]; }).segmentation!).globalPolicies;
        expect((byName(withSource, "infra-monitoring-accept").spec as any).ingress[0]).toEqual({ action: "Allow", protocol: "TCP", source: { nets: ["10.20.32.0/24"] }, destination: { ports: [9090] } });
    });

    it("never select a system namespace of this cluster nor reuse AKS's konnectivity policy name", () => {
        const text = JSON.stringify(globals);
        for (const system of exemptNamespaces(["azurePolicy"])) {
            const labels = new Map([["projectcalico.org/name", system], ["kubernetes.io/metadata.name", system]]);
            expect(globals.filter((policy) => matchesSelector(parseSelector(String((policy.spec as any).namespaceSelector)), labels)).map((policy) => policy.metadata.name), system).toEqual([]);
        }
        expect(text).not.toContain("aaa-allow-konnectivity-agent");
        expect(globals.every((policy) => !policy.metadata.name.includes("."))).toBe(true);
    });
});

describe("zero trust for every namespace: the cluster baseline", () => {
    const baselineOf = (stack: "dev" | "prod", change?: (values: Record<string, any>) => void) => byName(renderSegmentation(config(stack, change).segmentation!).globalPolicies, "zero-trust-baseline");
    const kubeDns = { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] };
    const apiServer = { services: { name: "kubernetes", namespace: "default" } };

    it("isolates every non-system pod both ways, after everything else, allowing DNS; Log then Deny in an enforce stack", () => {
        const spec = baselineOf("prod").spec as any;
        expect(spec.order).toBeGreaterThan(2000); // after log-denied, which decides all of an app namespace's traffic
        expect(spec.selector).toBe("all()");
        expect(spec.types).toEqual(["Ingress", "Egress"]);
        expect(spec.ingress).toEqual([{ action: "Log" }, { action: "Deny" }]);
        expect(spec.egress).toEqual([
            { action: "Allow", protocol: "UDP", destination: kubeDns },
            { action: "Allow", protocol: "TCP", destination: kubeDns },
            // The API server, in every mode: peers and undeclared namespaces reach it only through kubernetesApi.
            { action: "Log", destination: apiServer },
            { action: "Deny", destination: apiServer },
            { action: "Log" },
            { action: "Deny" },
        ]);
    });

    it("only logs in an audit stack (the stack's default mode)", () => {
        const spec = baselineOf("dev").spec as any;
        expect(spec.ingress).toEqual([{ action: "Log" }, { action: "Allow" }]);
        expect(spec.egress.slice(-4)).toEqual([{ action: "Log", destination: apiServer }, { action: "Deny", destination: apiServer }, { action: "Log" }, { action: "Allow" }]);
    });

    it("selects undeclared namespaces and never the system ones (one list: core/calico/systemNamespaces.ts)", () => {
        const selector = parseSelector((baselineOf("prod").spec as any).namespaceSelector);
        const selects = (name: string) => matchesSelector(selector, new Map([["projectcalico.org/name", name]]));
        expect(["shop", "monitoring", "ingress-nginx", "some-team-namespace", "default"].filter(selects)).toEqual(["shop", "monitoring", "ingress-nginx", "some-team-namespace", "default"]);
        // prod turns on Azure Policy only: Gatekeeper's namespace is exempt, the other add-ons' names are not.
        expect(SYSTEM_NAMESPACES.filter(selects)).toEqual(["aks-istio-egress", "aks-istio-ingress", "aks-istio-system", "app-routing-system"]);
        expect(SYSTEM_NAMESPACES).toEqual(expect.arrayContaining(["kube-system", "calico-system", "tigera-operator", "gatekeeper-system", "kube-public", "kube-node-lease", "app-routing-system", "aks-command"]));
    });

    it("exempts an add-on's namespace only while the add-on is on; aks-command always (az aks command invoke creates it on demand)", () => {
        const selects = (change: (v: Record<string, any>) => void) => {
            const selector = parseSelector((baselineOf("prod", change).spec as any).namespaceSelector);
            return (name: string) => matchesSelector(selector, new Map([["projectcalico.org/name", name]]));
        };
        expect(selects((v) => { v.cluster.azurePolicyAddon = true; })("gatekeeper-system")).toBe(false);
        expect(selects((v) => { v.cluster.azurePolicyAddon = false; })("gatekeeper-system")).toBe(true);
        expect(selects((v) => { v.cluster.azurePolicyAddon = false; })("aks-command")).toBe(false);
        expect(exemptNamespaces([]).sort()).toEqual(["aks-command", "calico-apiserver", "calico-system", "kube-node-lease", "kube-public", "kube-system", "tigera-operator"]);
    });

    it("lets DNS through the LocalDNS listeners too when LocalDNS is on", () => {
        const spec = baselineOf("prod", (v) => { v.cluster.localDns = true; }).spec as any;
        expect(spec.egress).toContainEqual({ action: "Allow", protocol: "UDP", destination: { nets: ["169.254.10.10/32", "169.254.10.11/32"], ports: [53] } });
    });
});

describe("the API server, denied to app workloads that do not declare it", () => {
    const apiServer = { services: { name: "kubernetes", namespace: "default" } };

    it("in enforce mode every app namespace logs and denies egress to the API server before its allows", () => {
        const deny = byName(shopOf(config("prod")).allowPolicies, "deny-kubernetes-api");
        expect(deny.spec).toEqual({ order: 600, selector: "all()", types: ["Egress"], egress: [{ action: "Log", destination: apiServer }, { action: "Deny", destination: apiServer }] });
    });

    it("in audit mode it only logs", () => {
        const deny = byName(shopOf(config("dev")).allowPolicies, "deny-kubernetes-api");
        expect((deny.spec as any).egress).toEqual([{ action: "Log", destination: apiServer }]);
    });

    it("workloads with kubernetesApi are allowed first (order 500)", () => {
        const shop = shopOf(config("prod", (v) => { v.segmentation.namespaces[0].workloads[1].egress.kubernetesApi = true; }));
        expect((byName(shop.allowPolicies, "allow-kubernetes-api").spec as any).order).toBeLessThan((byName(shop.allowPolicies, "deny-kubernetes-api").spec as any).order);
    });
});

describe("peers: platform namespaces the app needs but does not own", () => {
    const peer = byName(renderSegmentation(config("prod").segmentation!).globalPolicies, "peer-ingress-nginx");

    it("ingress-nginx reaches the workloads that accept it, on their ports, plus DNS and the API server; its clients and the API server's webhook calls reach it", () => {
        expect(peer.spec).toEqual({
            order: 100,
            namespaceSelector: "projectcalico.org/name == 'ingress-nginx'",
            selector: "app.kubernetes.io/name == 'ingress-nginx'",
            types: ["Ingress", "Egress"],
            ingress: [
                { action: "Allow", protocol: "TCP", source: { nets: ["10.20.0.0/16"] }, destination: { ports: [80, 443] } },
                // The API server calls its admission webhook through konnectivity-agent (docs/runbook-connection-refused.md#webhooks).
                { action: "Allow", protocol: "TCP", source: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "app == 'konnectivity-agent'" }, destination: { ports: [8443] } },
                // Its load balancer's health probes, from 168.63.129.16, on the ports its VNet clients use.
                { action: "Allow", protocol: "TCP", source: { nets: ["168.63.129.16/32"] }, destination: { ports: [80, 443] } },
            ],
            egress: [
                { action: "Allow", protocol: "UDP", destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
                { action: "Allow", protocol: "TCP", destination: { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
                { action: "Allow", protocol: "TCP", destination: { namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'frontend' && tier == 'web'", ports: [8080] } },
                { action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } },
            ],
        });
    });

    it("a workload accepting an undeclared namespace is rejected: the baseline would deny that namespace's egress", () => {
        expect(problemsOf((v) => { v.segmentation.peers = []; })).toEqual([
            "aks-zero-trust:segmentation.namespaces[shop].workloads[frontend].ingressFrom[0].namespace: namespace \"ingress-nginx\" is not declared: the cluster baseline denies its egress; declare it under segmentation.peers (with its podLabels) or as an app namespace",
        ]);
    });

    it("the namespace the plan uses to prove isolation cannot be declared", () => {
        expect(problemsOf((v) => { v.segmentation.infrastructure[0].name = "undeclared-namespace"; })).toEqual([
            "aks-zero-trust:segmentation.infrastructure[undeclared-namespace].name: \"undeclared-namespace\" is reserved for the plan's proof that undeclared namespaces are isolated",
        ]);
    });

    it("a peer may not be a system namespace", () => {
        expect(problemsOf((v) => { v.segmentation.peers[0].name = "kube-system"; v.segmentation.namespaces[0].workloads[0].ingressFrom = []; })).toEqual([
            "aks-zero-trust:segmentation.peers[kube-system].name: \"kube-system\" is a system namespace; the cluster baseline leaves it alone, so it needs no peer entry",
        ]);
    });
});

describe("intent validation", () => {
    const shop = "aks-zero-trust:segmentation.namespaces[shop]";

    it("rejects a flow to an unknown workload or namespace", () => {
        expect(problemsOf((v) => { v.segmentation.flows[0].to = "shop/payments"; })).toEqual(["aks-zero-trust:segmentation.flows[0].to: unknown workload \"payments\" in namespace shop"]);
        expect(problemsOf((v) => { v.segmentation.flows[0].from = "store/frontend"; })).toEqual(["aks-zero-trust:segmentation.flows[0].from: unknown namespace \"store\" in \"store/frontend\"; declare it under segmentation.namespaces"]);
    });

    it("rejects app policy sets on system namespaces", () => {
        expect(problemsOf((v) => { v.segmentation.namespaces[0].name = "kube-system"; v.segmentation.flows = []; })).toEqual([
            `aks-zero-trust:segmentation.namespaces[kube-system].name: "kube-system" is a system namespace; app policy sets must not touch ${SYSTEM_NAMESPACES.join(", ")}`,
        ]);
    });

    it("rejects duplicate namespaces, workloads and flows", () => {
        expect(problemsOf((v) => { v.segmentation.namespaces.push(structuredClone(v.segmentation.namespaces[0])); })).toContain("aks-zero-trust:segmentation.namespaces[1].name: duplicate namespace \"shop\"");
        expect(problemsOf((v) => { v.segmentation.namespaces[0].workloads[1].name = "frontend"; v.segmentation.flows = []; })).toContain(`${shop}.workloads[1].name: duplicate workload "frontend" in namespace shop`);
        expect(problemsOf((v) => { v.segmentation.flows.push(structuredClone(v.segmentation.flows[0])); })).toEqual(["aks-zero-trust:segmentation.flows[2]: duplicate flow shop/frontend -> shop/backend; list all its ports in one entry"]);
    });

    it("rejects ingress from 0.0.0.0/0", () => {
        expect(problemsOf((v) => { v.segmentation.namespaces[0].workloads[0].ingressFrom = [{ cidr: "0.0.0.0/0", ports: [443] }]; })).toEqual([
            `${shop}.workloads[frontend].ingressFrom[0].cidr: 0.0.0.0/0 would let the whole internet into the cluster`,
        ]);
    });

    it("rejects internet egress from a data-tier workload unless explicitly overridden", () => {
        const database = (v: Record<string, any>) => v.segmentation.namespaces[0].workloads[2];
        expect(problemsOf((v) => { database(v).egress = { fqdns: [{ fqdn: "backup.example.com" }] }; })).toEqual([
            `${shop}.workloads[database].egress.fqdns: workload shop/database is tier=data and must not reach the internet; set allowDataTierInternetEgress: true to override`,
        ]);
        expect(problemsOf((v) => { database(v).egress = { cidrs: [{ cidr: "52.0.0.0/8", ports: [443] }] }; })).toEqual([
            `${shop}.workloads[database].egress.cidrs[0].cidr: 52.0.0.0/8 is an internet range, but workload shop/database is tier=data; set allowDataTierInternetEgress: true to override`,
        ]);
        expect(problemsOf((v) => { database(v).egress = { fqdns: [{ fqdn: "backup.example.com" }] }; database(v).allowDataTierInternetEgress = true; })).toEqual([]);
    });

    it("rejects workloads whose labels cannot tell them apart", () => {
        expect(problemsOf((v) => { v.segmentation.namespaces[0].workloads[1].labels = { app: "frontend" }; })).toEqual([
            `${shop}.workloads[backend].labels: the labels of backend and frontend overlap (one set contains the other), so one selector would match both; add a label that tells them apart`,
        ]);
    });

    it("rejects infrastructure on a system namespace", () => {
        expect(problemsOf((v) => { v.segmentation.infrastructure[0].name = "kube-system"; })).toEqual([
            "aks-zero-trust:segmentation.infrastructure[kube-system].name: \"kube-system\" is a system namespace; infrastructure policies must not touch it",
        ]);
    });
});

describe("ADR 008 policy budgets", () => {
    it("rejects a namespace that would need more than 10 policies", () => {
        const problems = problemsOf((v) => {
            const workloads = v.segmentation.namespaces[0].workloads;
            for (let index = 0; index < 6; index++) {
                workloads.push({ name: `worker-${index}`, labels: { app: `worker-${index}`, tier: "api" }, egress: { fqdns: [{ fqdn: `w${index}.example.com` }] } });
            }
        });
        expect(problems).toEqual([
            "aks-zero-trust:segmentation.namespaces[0]: namespace shop needs 13 policies, over the ADR 008 budget of 10; give workloads that share flows one label set, or split the namespace",
        ]);
    });

    it("rejects infrastructure needing more than 20 global policies", () => {
        const problems = problemsOf((v) => {
            v.segmentation.infrastructure = Array.from({ length: 7 }, (_, index) => ({ name: `infra-${index}`, podPorts: [9100] }));
        });
        // 3 per infrastructure namespace (scrape, egress, accept), 1 per peer (ingress-nginx), the guardrail, the baseline.
        expect(problems).toEqual(["aks-zero-trust:segmentation.infrastructure: the infrastructure needs 24 global policies, over the ADR 008 budget of 20"]);
    });
});

describe("CIDR egress and the firewall", () => {
    it("adds a firewall network rule for workload ranges outside the VNet and cluster, and none for ranges inside", () => {
        const prod = config("prod", (v) => {
            v.segmentation.namespaces[0].workloads[1].egress.cidrs = [
                { cidr: "52.10.0.0/24", ports: [443, { port: 8000, endPort: 8010, protocol: "TCP" }] },
                { cidr: "10.20.64.0/24", ports: [5432] },
            ];
        });
        const rendered = renderSegmentation(prod.segmentation!);
        const groups = planFirewallRules(prod, rendered.firewallFqdns, rendered.firewallCidrs);
        const addresses = groups.find((group) => group.name === "workload-egress")!.ruleCollections.find((collection) => collection.name === "workload-addresses")!;
        expect(addresses.rules).toEqual([{
            ruleType: "NetworkRule", name: "shop-backend-tcp", sourceAddresses: ["10.20.16.0/20"], ipProtocols: ["TCP"], destinationPorts: ["443", "8000-8010"], destinationAddresses: ["52.10.0.0/24"],
        }]);
    });
});
