import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { CapturedResource, MockRun } from "../../offline/runtime";
import { hasMandatoryViolations, policyResultsText, runPolicyPack, urnOf } from "../../offline/runtime";
import { createPolicies, stackEnvironmentFrom } from "../../policy-pack/policies";
import { UNKNOWN_VALUE, calicoPolicy, namespace, networkPolicy, resource, validateResource, validateStack, withInputs } from "./harness";
import { DATABASE, FRONTEND, KUBE_DNS_PEER, allowDns, defaultDeny, monitoringPolicies, shop, tcp } from "./shop";
import { exemptNamespaces } from "../../core/calico";

const CLUSTER_TYPE = "azure-native:containerservice:ManagedCluster";

/** A prod cluster that keeps every promise. */
const cluster = resource(CLUSTER_TYPE, "aks-cluster", {
    resourceName: "aks-zt-prod",
    disableLocalAccounts: true,
    apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] },
    networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "calico", outboundType: "userDefinedRouting" },
    tags: { environment: "prod" },
}, { protect: true });

describe("aks-network-profile", () => {
    const check = (changes: Record<string, unknown>, options = {}) => validateResource("aks-network-profile", withInputs(cluster, changes), options).messages;

    it("accepts Azure CNI overlay with Calico, and with Cilium, egressing through the firewall", () => {
        expect(check({})).toEqual([]);
        expect(check({ networkProfile: { networkPolicy: "cilium", networkDataplane: "cilium" } })).toEqual([]);
    });

    it("rejects a network policy engine that does not enforce Calico policies", () => {
        expect(check({ networkProfile: { networkPolicy: "azure" } })).toEqual([
            `networkProfile.networkPolicy is "azure": it does not enforce the namespace policy sets' Calico policies. Set networkProfile.networkPolicy to "calico" (or "none" with self-managed Calico, stack config cluster.calico.mode), or networkDataplane and networkPolicy to "cilium".`,
        ]);
    });

    it("rejects kubenet, a non-overlay CNI and a load balancer egress, each with its fix", () => {
        expect(check({ networkProfile: { networkPlugin: "kubenet" } })).toEqual([
            `networkProfile.networkPlugin is "kubenet", expected "azure": pods need Azure CNI (overlay) for the cluster's network design. Set networkProfile.networkPlugin to "azure".`,
        ]);
        expect(check({ networkProfile: { networkPluginMode: undefined } })).toEqual([
            `networkProfile.networkPluginMode is not set, expected "overlay": pod addresses must come from the overlay pod CIDR, not the VNet. Set networkProfile.networkPluginMode to "overlay".`,
        ]);
        expect(check({ networkProfile: { outboundType: "loadBalancer" } })).toEqual([
            `networkProfile.outboundType is "loadBalancer", expected "userDefinedRouting": egress would bypass the Azure Firewall. Set networkProfile.outboundType to "userDefinedRouting" and route 0.0.0.0/0 to the firewall.`,
        ]);
    });

    it("checks versioned azure-native types too, and ignores other resources", () => {
        const versioned = withInputs(cluster, { networkProfile: { networkPolicy: "azure" } }, { type: "azure-native:containerservice/v20250301:ManagedCluster" });
        expect(validateResource("aks-network-profile", versioned).messages).toHaveLength(1);
        expect(validateResource("aks-network-profile", resource("azure-native:network:VirtualNetwork", "vnet", { networkProfile: {} })).messages).toEqual([]);
    });

    it("skips values unknown during preview instead of reporting them", () => {
        expect(check({ networkProfile: { networkPolicy: UNKNOWN_VALUE.string, outboundType: UNKNOWN_VALUE.string } }, { preview: true })).toEqual([]);
        expect(check({ networkProfile: UNKNOWN_VALUE.object }, { preview: true })).toEqual([]);
    });
});

describe("aks-api-server-access", () => {
    const check = (changes: Record<string, unknown>, options = {}) => validateResource("aks-api-server-access", withInputs(cluster, changes), options).messages;
    const publicWithoutRanges = "the API server is public and has no authorized IP ranges: in prod it must be private or restricted. Set apiServerAccessProfile.enablePrivateCluster to true or list authorizedIPRanges (stack config cluster.apiServer).";
    const localAccounts = "disableLocalAccounts is false: in prod only Entra ID identities may reach the API server. Set disableLocalAccounts to true (stack config cluster.disableLocalAccounts).";

    it("accepts a prod cluster with authorized ranges or a private API server", () => {
        expect(check({}, { stackEnvironment: "prod" })).toEqual([]);
        expect(check({ apiServerAccessProfile: { authorizedIPRanges: undefined, enablePrivateCluster: true } }, { stackEnvironment: "prod" })).toEqual([]);
    });

    it("never lets 0.0.0.0/0 reach the API server, in any environment", () => {
        expect(check({ apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24", "0.0.0.0/0"] } }, { stackEnvironment: "dev" })).toEqual([
            `apiServerAccessProfile.authorizedIPRanges contains "0.0.0.0/0", which opens the API server to the whole internet. List only your operators' and CI runners' ranges (stack config cluster.apiServer.authorizedIpRanges).`,
        ]);
    });

    it("in prod requires Entra ID only and a restricted API server", () => {
        expect(check({ disableLocalAccounts: false, apiServerAccessProfile: { authorizedIPRanges: [] } }, { stackEnvironment: "prod" })).toEqual([localAccounts, publicWithoutRanges]);
    });

    it("lets dev keep local accounts and a public API server", () => {
        expect(check({ disableLocalAccounts: false, apiServerAccessProfile: { authorizedIPRanges: undefined } }, { stackEnvironment: "dev" })).toEqual([]);
    });

    it("takes the environment from its config first, then the stack, then the resource's tag, else prod", () => {
        const devLike = { disableLocalAccounts: false, apiServerAccessProfile: { authorizedIPRanges: undefined } };
        expect(check(devLike, { stackEnvironment: "prod", config: { environment: "dev" } })).toEqual([]);
        expect(check(devLike, { stackEnvironment: "dev", config: { environment: "prod" } })).toHaveLength(2);
        expect(check({ ...devLike, tags: { environment: "dev" } })).toEqual([]);
        expect(check({ ...devLike, tags: { environment: "dev" } }, { stackEnvironment: "prod" })).toHaveLength(2);
        expect(check({ ...devLike, tags: undefined })).toEqual([localAccounts, publicWithoutRanges]);
    });

    it("skips the range checks while the authorized ranges (which include the firewall's IPs) are unknown", () => {
        expect(check({ apiServerAccessProfile: { authorizedIPRanges: UNKNOWN_VALUE.array } }, { stackEnvironment: "prod", preview: true })).toEqual([]);
        expect(check({ disableLocalAccounts: UNKNOWN_VALUE.boolean }, { stackEnvironment: "prod", preview: true })).toEqual([]);
    });
});

describe("firewall-policy-dns-proxy-threat-intel", () => {
    const policy = resource("azure-native:network:FirewallPolicy", "egress-policy", { dnsSettings: { enableProxy: true }, threatIntelMode: "Deny" });
    const check = (changes: Record<string, unknown>, options = {}) => validateResource("firewall-policy-dns-proxy-threat-intel", withInputs(policy, changes), options).messages;

    it("accepts the DNS proxy with threat intel in Alert or Deny", () => {
        expect(check({})).toEqual([]);
        expect(check({ threatIntelMode: "Alert" })).toEqual([]);
    });

    it("rejects a policy without the DNS proxy", () => {
        expect(check({ dnsSettings: undefined })).toEqual([
            "dnsSettings.enableProxy is not set: FQDNs in network rules need the firewall's DNS proxy, and nodes must resolve through it. Set dnsSettings.enableProxy to true.",
        ]);
    });

    it("rejects threat intelligence turned off", () => {
        expect(check({ threatIntelMode: "Off" })).toEqual([
            `threatIntelMode is "Off": traffic to known-malicious addresses and domains would pass unnoticed. Set threatIntelMode to "Alert" (dev) or "Deny" (prod).`,
        ]);
    });

    it("skips unknown settings", () => {
        expect(check({ dnsSettings: { enableProxy: UNKNOWN_VALUE.boolean }, threatIntelMode: UNKNOWN_VALUE.string }, { preview: true })).toEqual([]);
    });
});

describe("firewall-rules-no-wildcards", () => {
    const group = (rules: Array<Record<string, unknown>>, action = "Allow") =>
        resource("azure-native:network:FirewallPolicyRuleCollectionGroup", "egress-rcg-workload-egress", {
            ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "workload-fqdns", priority: 100, action: { type: action }, rules }],
        });
    const check = (rules: Array<Record<string, unknown>>, action?: string) => validateResource("firewall-rules-no-wildcards", group(rules, action)).messages;
    const app = (targetFqdns: string[]) => ({ ruleType: "ApplicationRule", name: "app", sourceAddresses: ["10.20.16.0/20"], protocols: [{ protocolType: "Https", port: 443 }], targetFqdns });
    const net = (fields: Record<string, unknown>) => ({ ruleType: "NetworkRule", name: "net", sourceAddresses: ["10.20.16.0/20"], ipProtocols: ["TCP"], destinationPorts: ["443"], ...fields });

    it("accepts exact FQDNs, leading-label wildcards and service tags", () => {
        expect(check([app(["ghcr.io", "*.blob.core.windows.net"]), net({ destinationAddresses: ["AzureCloud.westeurope"] })])).toEqual([]);
    });

    it("rejects a FQDN that matches every host", () => {
        expect(check([app(["ghcr.io", "*"])])).toEqual([
            `ruleCollections[0] "workload-fqdns" rule "app": targetFqdns contains "*", which allows every host name. List the exact FQDNs (a leading "*." label at most, e.g. "*.blob.core.windows.net").`,
        ]);
        expect(check([net({ destinationFqdns: ["*.*"] })])).toEqual([
            `ruleCollections[0] "workload-fqdns" rule "net": destinationFqdns contains "*.*", which allows every host name. List the exact FQDNs (a leading "*." label at most, e.g. "*.blob.core.windows.net").`,
        ]);
    });

    it("rejects an allow-all destination in an Allow collection only", () => {
        expect(check([net({ destinationAddresses: ["0.0.0.0/0"] })])).toEqual([
            `ruleCollections[0] "workload-fqdns" rule "net": destinationAddresses contains "0.0.0.0/0" in an Allow collection, which allows every destination. List the exact addresses or service tags (e.g. "AzureCloud.westeurope").`,
        ]);
        expect(check([net({ destinationAddresses: ["*"] })], "Deny")).toEqual([]);
    });

    it("rejects a rule that matches every source", () => {
        expect(check([{ ...app(["ghcr.io"]), sourceAddresses: ["*"] }])).toEqual([
            `ruleCollections[0] "workload-fqdns" rule "app": sourceAddresses contains "*", which matches every source. Use the node subnet's CIDR: with overlay, pod traffic reaches the firewall from the node addresses.`,
        ]);
    });
});

describe("route-default-via-firewall", () => {
    const table = (routes: unknown) => resource("azure-native:network:RouteTable", "nodes-route-table", { routeTableName: "rt-zt-prod-aks-egress", routes });

    it("accepts a default route to the firewall", () => {
        expect(validateResource("route-default-via-firewall", table([{ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.20.0.4" }, { name: "firewall-public-ip-01", addressPrefix: "203.0.113.52/32", nextHopType: "Internet" }])).messages).toEqual([]);
    });

    it("rejects a default route straight to the internet, in a route table or as a Route", () => {
        expect(validateResource("route-default-via-firewall", table([{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }])).messages).toEqual([
            `routes[0] "default" sends 0.0.0.0/0 to "Internet", bypassing the firewall. Set nextHopType to "VirtualAppliance" and nextHopIpAddress to the firewall's private IP.`,
        ]);
        const route = resource("azure-native:network:Route", "default-route", { routeName: "default", routeTableName: "rt", addressPrefix: "0.0.0.0/0", nextHopType: "VnetLocal" });
        expect(validateResource("route-default-via-firewall", route).messages).toEqual([
            `route "default" sends 0.0.0.0/0 to "VnetLocal", bypassing the firewall. Set nextHopType to "VirtualAppliance" and nextHopIpAddress to the firewall's private IP.`,
        ]);
    });

    it("skips routes whose next hop is unknown", () => {
        expect(validateResource("route-default-via-firewall", table([{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: UNKNOWN_VALUE.string }]), { preview: true }).messages).toEqual([]);
        expect(validateResource("route-default-via-firewall", table(UNKNOWN_VALUE.array), { preview: true }).messages).toEqual([]);
    });
});

describe("egress-never-opens-platform-endpoints", () => {
    const kubernetes = (cidr: string, except?: string[]) =>
        validateResource("egress-never-opens-platform-endpoints", networkPolicy("test", "shop", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr, ...(except ? { except } : {}) } }] }] })).messages;
    const calico = (action: string, nets: string[], notNets?: string[]) =>
        validateResource("egress-never-opens-platform-endpoints", calicoPolicy("GlobalNetworkPolicy", "test", { order: 10, selector: "all()", types: ["Egress"], egress: [{ action, destination: { nets, ...(notNets ? { notNets } : {}) } }] })).messages;

    it("rejects an egress range onto IMDS or WireServer, naming why", () => {
        expect(kubernetes("169.254.169.254/32")).toEqual([expect.stringMatching(/^egress\[0\]\.to\[0\]\.ipBlock: 169\.254\.169\.254\/32 overlaps link-local 169\.254\.0\.0\/16, where the instance metadata service/)]);
        expect(kubernetes("168.63.0.0/16")).toEqual([expect.stringContaining("168.63.0.0/16 holds WireServer 168.63.129.16")]);
        expect(calico("Allow", ["168.63.129.16/32"])).toEqual([expect.stringMatching(/^egress\[0\]\.destination\.nets: 168\.63\.129\.16\/32 holds WireServer/)]);
        expect(kubernetes("0.0.0.0/0", ["10.0.0.0/8"])).toHaveLength(1);
    });

    it("checks self-managed Calico's staged policies as the policies they become (audit's flip to enforce applies them)", () => {
        const staged = (kind: string, spec: Record<string, unknown>, namespace?: string) =>
            validateResource("egress-never-opens-platform-endpoints", resource(`kubernetes:projectcalico.org/v3:${kind}`, `staged-${kind}`, { apiVersion: "projectcalico.org/v3", kind, metadata: { name: "hotfix", ...(namespace ? { namespace } : {}) }, spec })).messages;
        const toImds = { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "169.254.169.254/32" } }] }] };
        const toWireServer = { tier: "default", order: 5, selector: "all()", types: ["Egress"], egress: [{ action: "Allow", destination: { nets: ["168.63.129.16/32"] } }] };
        expect(staged("StagedKubernetesNetworkPolicy", { stagedAction: "Set", ...toImds }, "shop")).toEqual([expect.stringMatching(/^egress\[0\]\.to\[0\]\.ipBlock: 169\.254\.169\.254\/32 overlaps link-local/)]);
        expect(staged("StagedNetworkPolicy", toWireServer, "shop")).toEqual([expect.stringMatching(/^egress\[0\]\.destination\.nets: 168\.63\.129\.16\/32 holds WireServer/)]);
        expect(staged("StagedGlobalNetworkPolicy", { stagedAction: "Set", ...toWireServer })).toHaveLength(1);
        expect(staged("NetworkPolicy", toWireServer, "shop")).toHaveLength(1);
        // A staged Delete (or Learn, Ignore) never becomes an enforced rule.
        expect(staged("StagedKubernetesNetworkPolicy", { stagedAction: "Delete", ...toImds }, "shop")).toEqual([]);
    });

    it("accepts the internet minus link-local and WireServer, the LocalDNS listeners, and Calico denies", () => {
        expect(kubernetes("0.0.0.0/0", ["10.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"])).toEqual([]);
        expect(kubernetes("169.254.10.10/32")).toEqual([]);
        expect(kubernetes("169.254.10.11/32")).toEqual([]);
        expect(calico("Deny", ["169.254.169.254/32", "168.63.129.16/32"])).toEqual([]);
        expect(calico("Allow", ["0.0.0.0/0"], ["169.254.0.0/16", "168.63.129.16/32"])).toEqual([]);
    });
});

describe("network-policy-no-open-ingress", () => {
    const check = (podSelector: unknown, ingress: unknown, options = {}) => validateResource("network-policy-no-open-ingress", networkPolicy("test", "shop", { podSelector, policyTypes: ["Ingress"], ingress }), options).messages;
    const allNamespaces = "ingress[0].from[0] admits every pod of every namespace (namespaceSelector {} without a podSelector) into the tier=data pods this policy selects. Select the client namespace by name (kubernetes.io/metadata.name) and its pods; normally only the api tier of the same namespace may reach the data tier.";

    it("rejects ingress from the whole internet into any pod", () => {
        expect(check({ matchLabels: FRONTEND }, [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [tcp(8080)] }])).toEqual([
            `ingress[0].from[0] allows ipBlock "0.0.0.0/0": the whole internet may connect. Allow the clients' namespaces and pods, or an internal CIDR (stack config ingressFrom never takes 0.0.0.0/0).`,
        ]);
    });

    it("rejects every namespace into the data tier, but not a restricted peer or another tier", () => {
        expect(check({ matchLabels: DATABASE }, [{ from: [{ namespaceSelector: {} }], ports: [tcp(5432)] }])).toEqual([allNamespaces]);
        expect(check({ matchLabels: DATABASE }, [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }] }])).toEqual([]);
        expect(check({ matchLabels: FRONTEND }, [{ from: [{ namespaceSelector: {} }] }])).toEqual([]);
        expect(check({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["data"] }] }, [{ from: [{ namespaceSelector: {} }] }])).toEqual([]);
    });

    it("counts a policy for every pod (podSelector {}) as selecting the data tier", () => {
        expect(check({}, [{ from: [{ namespaceSelector: {} }] }])).toEqual([allNamespaces]);
        expect(check({}, [{ ports: [tcp(5432)] }])).toEqual([
            `ingress[0] has no "from", so every source (every pod and the internet) reaches the tier=data pods this policy selects. List the clients in "from": normally only the api tier of the same namespace (podSelector tier: api).`,
        ]);
    });

    it("skips selectors unknown during preview", () => {
        expect(check({ matchLabels: UNKNOWN_VALUE.object }, [{ from: [{ namespaceSelector: {} }] }], { preview: true })).toEqual([]);
        expect(check({ matchLabels: DATABASE }, [{ from: UNKNOWN_VALUE.array }], { preview: true })).toEqual([]);
    });
});

describe("calico-policy-not-in-system-namespaces", () => {
    const global = (namespaceSelector?: string) => validateResource("calico-policy-not-in-system-namespaces", calicoPolicy("GlobalNetworkPolicy", "test", { order: 100, selector: "all()", types: ["Ingress"], ...(namespaceSelector === undefined ? {} : { namespaceSelector }) })).messages;
    const hint = `namespaceSelector "aks-zero-trust.io/policy-set == 'enabled'"`;

    it("rejects Calico policies in system namespaces, in either API group", () => {
        expect(validateResource("calico-policy-not-in-system-namespaces", calicoPolicy("NetworkPolicy", "log-denied", { order: 2000, selector: "all()" }, "kube-system")).messages).toEqual([
            "Calico NetworkPolicy in system namespace kube-system: AKS, Calico and Gatekeeper own it, and a policy there can cut off the control plane (e.g. konnectivity). Move the policy to an app namespace.",
        ]);
        const v3 = resource("kubernetes:projectcalico.org/v3:NetworkPolicy", "v3", { apiVersion: "projectcalico.org/v3", kind: "NetworkPolicy", metadata: { name: "x", namespace: "calico-system" }, spec: {} });
        expect(validateResource("calico-policy-not-in-system-namespaces", v3).messages).toHaveLength(1);
        expect(validateResource("calico-policy-not-in-system-namespaces", calicoPolicy("NetworkPolicy", "log-denied", { order: 2000, selector: "all()" }, "shop")).messages).toEqual([]);
    });

    it("accepts global policies that name app or infrastructure namespaces", () => {
        expect(global("aks-zero-trust.io/policy-set == 'enabled'")).toEqual([]);
        expect(global("projectcalico.org/name == 'monitoring'")).toEqual([]);
    });

    it("rejects global policies that select, or may select, system namespaces", () => {
        expect(global()).toEqual([`spec.namespaceSelector is not set, so the GlobalNetworkPolicy applies to every namespace, system namespaces (${exemptNamespaces([]).join(", ")}) included. Select app namespaces only, e.g. ${hint}.`]);
        expect(global("all()")).toEqual([`spec.namespaceSelector "all()" selects the system namespaces ${exemptNamespaces([]).join(", ")}. Select app namespaces only, e.g. ${hint}.`]);
        expect(global("!has(aks-zero-trust.io/policy-set)")).toHaveLength(1);
        expect(global("projectcalico.org/name in {'kube-system', 'monitoring'}")).toEqual([`spec.namespaceSelector "projectcalico.org/name in {'kube-system', 'monitoring'}" selects the system namespaces kube-system. Select app namespaces only, e.g. ${hint}.`]);
    });

    it("rejects a namespaceSelector it cannot parse", () => {
        expect(global("projectcalico.org/name ==")).toEqual([expect.stringMatching(/^spec\.namespaceSelector "projectcalico\.org\/name ==" is not a valid Calico selector \(invalid selector at column \d+: .*\), so it cannot be shown to leave system namespaces alone\./)]);
    });
});

describe("namespace-default-deny-and-dns", () => {
    const noDeny = "namespace shop has no default deny: without it, pods no policy selects are open in both directions. Add a NetworkPolicy with podSelector {}, policyTypes [Ingress, Egress] and no rules (the namespace policy set renders \"default-deny-all\").";
    const noDns = "namespace shop has no DNS allow: under its default deny, pods cannot resolve names. Add a NetworkPolicy with podSelector {} allowing egress to kube-system pods labelled k8s-app=kube-dns on UDP and TCP 53 (the namespace policy set renders \"allow-dns\").";
    const without = (...names: string[]) => shop().filter((item) => !names.includes(item.name));

    it("accepts a namespace with its default deny and DNS allow", () => {
        expect(validateStack("namespace-default-deny-and-dns", shop()).messages).toEqual([]);
    });

    it("rejects an app namespace without a default deny, naming the namespace resource", () => {
        const outcome = validateStack("namespace-default-deny-and-dns", without(defaultDeny.name));
        expect(outcome.messages).toEqual([noDeny]);
        expect(outcome.violations[0].resource).toBe("urn:pulumi:test::aks-zero-trust::kubernetes:core/v1:Namespace::shop-namespace");
    });

    it("does not take an ingress-only deny, or a deny with rules, for a default deny", () => {
        const ingressOnly = networkPolicy("default-deny-all", "shop", { podSelector: {}, policyTypes: ["Ingress"] });
        expect(validateStack("namespace-default-deny-and-dns", [...without(defaultDeny.name), ingressOnly]).messages).toEqual([noDeny]);
        const withRule = networkPolicy("default-deny-all", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] });
        expect(validateStack("namespace-default-deny-and-dns", [...without(defaultDeny.name), withRule]).messages).toEqual([noDeny]);
    });

    it("rejects an app namespace without a DNS allow, or with TCP-only DNS", () => {
        expect(validateStack("namespace-default-deny-and-dns", without(allowDns.name)).messages).toEqual([noDns]);
        const tcpOnly = networkPolicy("allow-dns", "shop", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [(allowDns.inputs.spec as { egress: Array<{ to: unknown[] }> }).egress[0].to[0]], ports: [tcp(53)] }] });
        expect(validateStack("namespace-default-deny-and-dns", [...without(allowDns.name), tcpOnly]).messages).toEqual([noDns]);
    });

    it("leaves namespaces without a policy set alone", () => {
        expect(validateStack("namespace-default-deny-and-dns", [namespace("ingress-nginx", { team: "edge" })]).messages).toEqual([]);
    });

    it("skips a namespace while a policy that may be its deny is unknown", () => {
        const unknownDeny = withInputs(defaultDeny, { spec: UNKNOWN_VALUE.object });
        expect(validateStack("namespace-default-deny-and-dns", [...without(defaultDeny.name), unknownDeny], { preview: true }).messages).toEqual([]);
    });
});

describe("policy-budgets", () => {
    it("is advisory: hygiene, not a hole", () => {
        expect(createPolicies().find((policy) => policy.name === "policy-budgets")?.enforcementLevel).toBe("advisory");
    });

    it("accepts the reference namespace", () => {
        expect(validateStack("policy-budgets", [...shop(), ...monitoringPolicies]).messages).toEqual([]);
    });

    it("reports a namespace over 10 policies, Kubernetes and Calico counted together", () => {
        const extra = Array.from({ length: 5 }, (_, index) => networkPolicy(`extra-${index}`, "shop", { podSelector: {} }));
        const calico = calicoPolicy("NetworkPolicy", "log-denied", { order: 2000, selector: "all()" }, "shop");
        expect(validateStack("policy-budgets", [...shop(), ...extra, calico]).messages).toEqual([
            "namespace shop has 11 network policies (Kubernetes and Calico), over the ADR 008 budget of 10: give workloads that share flows one label set, or split the namespace.",
        ]);
    });

    it("reports more than 20 global policies", () => {
        const globals = Array.from({ length: 21 }, (_, index) => calicoPolicy("GlobalNetworkPolicy", `infra-${index}`, { order: 100, namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "all()" }));
        expect(validateStack("policy-budgets", globals).messages).toEqual([
            "the stack has 21 Calico GlobalNetworkPolicies, over the ADR 008 budget of 20: merge infrastructure namespaces' exemptions, or move rules into namespace policy sets.",
        ]);
    });
});

describe("tier reachability (web, data egress, data ingress)", () => {
    const webRemedy = "The web tier must go through the api tier: remove the flow or policy rule that lets it reach the data tier.";
    const egressRemedy = "The data tier may only reach DNS (kube-system/kube-dns, or AKS LocalDNS, on port 53): remove its egress (segmentation egress.fqdns / egress.cidrs, the allowDataTierInternetEgress override, flows from it).";
    const ingressRemedy = "Only the api tier of the same namespace and infrastructure namespaces may reach the data tier: remove the flow or policy rule that admits this client.";
    const all = (resources: ReturnType<typeof shop>) => ({
        web: validateStack("web-tier-never-reaches-data-tier", resources).messages,
        egress: validateStack("data-tier-egress-dns-only", resources).messages,
        ingress: validateStack("data-tier-ingress-allowlist", resources).messages,
    });

    it("holds for the reference namespace, monitoring's scraping included", () => {
        expect(all([...shop(), ...monitoringPolicies])).toEqual({ web: [], egress: [], ingress: [] });
    });

    it("frontend => database is reported by the web rule and the ingress allowlist", () => {
        const shortcut = [
            networkPolicy("frontend-to-database", "shop", { podSelector: { matchLabels: FRONTEND }, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: DATABASE } }], ports: [tcp(5432)] }] }),
            networkPolicy("database-from-frontend", "shop", { podSelector: { matchLabels: DATABASE }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: FRONTEND } }], ports: [tcp(5432)] }] }),
        ];
        expect(all([...shop(), ...shortcut])).toEqual({
            web: [`shop/frontend => shop/database : TCP 5432. ${webRemedy}`],
            egress: [],
            ingress: [`shop/frontend => shop/database : TCP 5432. ${ingressRemedy}`],
        });
    });

    it("data egress to the internet is reported with the ports", () => {
        const internet = networkPolicy("database-egress", "shop", { podSelector: { matchLabels: DATABASE }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] }] });
        // All of public IPv4 holds the public API server too, and ipBlock 0.0.0.0/0 holds every pod IP (Calico
        // matches ipBlock/nets on the packet's address), so pods are reported as well.
        expect(all([...shop(), internet]).egress).toEqual([
            ...["any-other-namespace/any-pod", "default/kubernetes[APIServer]", "ingress-nginx/any-pod", "kube-system/any-pod", "kube-system/kube-dns", "0.0.0.0/0"].map((peer) => `shop/database => ${peer} : TCP 443. ${egressRemedy}`),
        ]);
    });

    it("data egress beyond port 53 to kube-dns is reported, DNS itself is not", () => {
        const wide = networkPolicy("database-to-dns", "shop", { podSelector: { matchLabels: DATABASE }, policyTypes: ["Egress"], egress: [{ to: [(allowDns.inputs.spec as { egress: Array<{ to: unknown[] }> }).egress[0].to[0]] }] });
        expect(all([...shop(), wide]).egress).toEqual([expect.stringMatching(/^shop\/database => kube-system\/kube-dns : TCP 1-52,54-65535,UDP 1-52,54-65535,SCTP,OTHER\. /)]);
    });

    it("DNS through AKS LocalDNS counts as DNS, other link-local traffic does not", () => {
        const localDns = networkPolicy("allow-dns", "shop", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [KUBE_DNS_PEER, { ipBlock: { cidr: "169.254.10.10/32" } }, { ipBlock: { cidr: "169.254.10.11/32" } }], ports: [{ protocol: "UDP", port: 53 }, tcp(53)] }],
        });
        const withLocalDns = [...shop().filter((item) => item.name !== allowDns.name), localDns];
        expect(all(withLocalDns)).toEqual({ web: [], egress: [], ingress: [] });
        const metadata = networkPolicy("database-metadata", "shop", { podSelector: { matchLabels: DATABASE }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [tcp(80)] }] });
        expect(all([...withLocalDns, metadata]).egress).toEqual([`shop/database => 169.254.169.254 : TCP 80. ${egressRemedy}`]);
    });

    it("every namespace into the data tier shows through the probe pods", () => {
        const open = networkPolicy("database-from-everywhere", "shop", { podSelector: { matchLabels: DATABASE }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }], ports: [tcp(5432)] }] });
        expect(all([...shop(), open]).ingress).toEqual([
            `any-other-namespace/any-pod => shop/database : TCP 5432. ${ingressRemedy}`,
            `ingress-nginx/any-pod => shop/database : TCP 5432. ${ingressRemedy}`,
            `kube-system/any-pod => shop/database : TCP 5432. ${ingressRemedy}`,
            `kube-system/kube-dns => shop/database : TCP 5432. ${ingressRemedy}`,
        ]);
    });

    it("evaluates audit namespaces as enforce would: a logging Allow does not open the data tier", () => {
        const audit = calicoPolicy("NetworkPolicy", "log-denied", { order: 2000, selector: "all()", types: ["Ingress", "Egress"], ingress: [{ action: "Log" }, { action: "Allow" }], egress: [{ action: "Log" }, { action: "Allow" }] }, "shop");
        expect(all([...shop(), audit])).toEqual({ web: [], egress: [], ingress: [] });
    });

    it("is not applicable while a policy is unknown during preview", () => {
        const unknown = withInputs(shop()[4], { spec: { ingress: UNKNOWN_VALUE.array } });
        const outcome = validateStack("data-tier-ingress-allowlist", [...shop().slice(0, 4), unknown, defaultDeny], { preview: true });
        expect(outcome).toMatchObject({ messages: [], notApplicable: "skipped during preview: shop-workload-database hold values known only after apply" });
    });

    it("reports objects the analyzer cannot read instead of passing them", () => {
        const broken = calicoPolicy("GlobalNetworkPolicy", "broken", { order: 100, namespaceSelector: "projectcalico.org/name == 'monitoring'", selector: "app ==", types: ["Egress"], egress: [] });
        expect(validateStack("web-tier-never-reaches-data-tier", [...shop(), broken]).messages).toEqual([expect.stringMatching(/^the stack's network policies cannot be analysed: .*Calico ignores invalid policies silently\.$/)]);
    });
});

describe("prod-stateful-resources-protected", () => {
    const group = resource("azure-native:resources:ResourceGroup", "platform", { resourceGroupName: "rg", tags: { environment: "prod" } });

    it("reports an unprotected stateful resource in prod, naming it", () => {
        const outcome = validateStack("prod-stateful-resources-protected", [group, cluster]);
        expect(outcome.messages).toEqual([
            "ResourceGroup platform is not protected: in prod it must survive a mistaken destroy or replace. Set protect: true (stack config aks-zero-trust:protect, default true in prod).",
        ]);
        expect(outcome.violations[0].resource).toBe("urn:pulumi:test::aks-zero-trust::azure-native:resources:ResourceGroup::platform");
    });

    it("does not apply to dev, whether the stack, the config or the tags say so", () => {
        expect(validateStack("prod-stateful-resources-protected", [group], { stackEnvironment: "dev" }).messages).toEqual([]);
        expect(validateStack("prod-stateful-resources-protected", [group], { stackEnvironment: "prod", config: { environment: "dev" } }).messages).toEqual([]);
        expect(validateStack("prod-stateful-resources-protected", [withInputs(group, { tags: { environment: "dev" } })]).messages).toEqual([]);
    });
});

describe("the pack's environment and config", () => {
    it("learns the stack's environment from the variables the CLI sets for a policy pack", () => {
        expect(stackEnvironmentFrom({ PULUMI_CONFIG: JSON.stringify({ "aks-zero-trust:environment": "prod" }), PULUMI_STACK: "dev" })).toBe("prod");
        expect(stackEnvironmentFrom({ PULUMI_STACK: "prod" })).toBe("prod");
        expect(stackEnvironmentFrom({ PULUMI_NODEJS_STACK: "dev" })).toBe("dev");
        expect(stackEnvironmentFrom({ PULUMI_CONFIG: "not json", PULUMI_STACK: "dev" })).toBe("dev");
        expect(stackEnvironmentFrom({ PULUMI_STACK: "staging" })).toBeUndefined();
    });

    it("has unique names, a description and a remediation for every policy; security policies are mandatory", () => {
        const policies = createPolicies();
        expect(new Set(policies.map((policy) => policy.name)).size).toBe(policies.length);
        for (const policy of policies) {
            expect(policy.description.length).toBeGreaterThan(20);
            expect(policy.remediationSteps?.length).toBeGreaterThan(20);
            // Hygiene and date-dependent warnings are advisory; every security guarantee is mandatory.
            const advisory = ["aks-api-server-restricted-in-dev", "aks-kubernetes-version-support", "policy-budgets"];
            expect(policy.enforcementLevel).toBe(advisory.includes(policy.name) ? "advisory" : "mandatory");
        }
    });

    it("ships a dev config that names real policies, valid levels and declared properties", () => {
        const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "policy-pack", "policy-config.dev.json"), "utf8")) as Record<string, unknown>;
        const policies = new Map(createPolicies().map((policy) => [policy.name, policy]));
        const levels = ["advisory", "mandatory", "remediate", "disabled"];
        for (const [name, entry] of Object.entries(config)) {
            const policy = policies.get(name);
            expect(policy, name).toBeDefined();
            if (typeof entry === "string") {
                expect(levels).toContain(entry);
                continue;
            }
            for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
                if (key === "enforcementLevel") {
                    expect(levels).toContain(value);
                } else {
                    const schema = policy?.configSchema?.properties[key];
                    expect(schema, `${name}.${key}`).toBeDefined();
                    expect((schema as { enum?: unknown[] }).enum).toContain(value);
                }
            }
        }
    });
});

describe("runPolicyPack and its report", () => {
    const run = (resources: MockRun["resources"]): MockRun => ({ stack: "prod", resources, outputs: {} });
    const badCluster = withInputs(cluster, { networkProfile: { networkPolicy: "azure" } });

    it("reports each policy once, with its level and the resource's URN", () => {
        const results = runPolicyPack(run([badCluster]), { stack: "prod", environment: "prod" });
        expect(results.map((result) => result.policy)).toEqual(createPolicies().map((policy) => policy.name));
        expect(results.find((result) => result.policy === "aks-network-profile")).toEqual({
            policy: "aks-network-profile",
            enforcementLevel: "mandatory",
            violations: [{ message: expect.stringContaining(`networkProfile.networkPolicy is "azure"`), resource: urnOf(badCluster, { stack: "prod", resources: [badCluster] }) }],
        });
        expect(hasMandatoryViolations(results)).toBe(true);
    });

    it("applies the pack config: per-policy levels, \"all\", disabled policies and properties", () => {
        const advisory = runPolicyPack(run([badCluster]), { stack: "prod", environment: "prod", config: { all: "advisory" } });
        expect(advisory.every((result) => result.enforcementLevel === "advisory")).toBe(true);
        expect(hasMandatoryViolations(advisory)).toBe(false);

        const disabled = runPolicyPack(run([badCluster]), { stack: "prod", environment: "prod", config: { "aks-network-profile": "disabled" } });
        expect(disabled.find((result) => result.policy === "aks-network-profile")).toEqual({ policy: "aks-network-profile", enforcementLevel: "disabled", violations: [] });

        const devCluster = withInputs(cluster, { disableLocalAccounts: false });
        const asDev = runPolicyPack(run([devCluster]), { stack: "prod", environment: "prod", config: { "aks-api-server-access": { enforcementLevel: "mandatory", environment: "dev" } } });
        expect(asDev.find((result) => result.policy === "aks-api-server-access")?.violations).toEqual([]);
        const asProd = runPolicyPack(run([devCluster]), { stack: "prod", environment: "prod" });
        expect(asProd.find((result) => result.policy === "aks-api-server-access")?.violations).toHaveLength(1);
    });

    it("prints one line per policy, violations indented, and a summary", () => {
        const text = policyResultsText([
            { policy: "aks-network-profile", enforcementLevel: "mandatory", violations: [{ message: "bad profile", resource: "urn:pulumi:prod::aks-zero-trust::aks-zero-trust:cluster:AksCluster$azure-native:containerservice:ManagedCluster::aks-cluster" }] },
            { policy: "policy-budgets", enforcementLevel: "advisory", violations: [{ message: "too many" }, { message: "far too many" }] },
            { policy: "route-default-via-firewall", enforcementLevel: "mandatory", violations: [] },
            { policy: "data-tier-egress-dns-only", enforcementLevel: "disabled", violations: [] },
        ]);
        expect(text).toBe([
            "FAIL  aks-network-profile (mandatory)",
            "      - bad profile [aks-cluster (azure-native:containerservice:ManagedCluster)]",
            "FAIL  policy-budgets (advisory)",
            "      - too many",
            "      - far too many",
            "PASS  route-default-via-firewall (mandatory)",
            "SKIP  data-tier-egress-dns-only (disabled)",
            "4 policies: 1 passed, 2 advisory warnings, 1 mandatory violations, 1 disabled",
        ].join("\n"));
    });
});

describe("calico-mode", () => {
    const noEngine = withInputs(cluster, { networkProfile: { networkPolicy: "none" } });
    const release = resource("kubernetes:helm.sh/v3:Release", "calico-tigera-operator", { chart: "tigera-operator", version: "v3.33.1" });
    const installation = (spec: Record<string, unknown>) => resource("kubernetes:operator.tigera.io/v1:Installation", "calico-installation", { apiVersion: "operator.tigera.io/v1", kind: "Installation", metadata: { name: "default" }, spec });
    const apiServer = resource("kubernetes:operator.tigera.io/v1:APIServer", "calico-apiserver", { apiVersion: "operator.tigera.io/v1", kind: "APIServer", metadata: { name: "default" }, spec: {} });
    const selfManaged = [noEngine, release, installation({ kubernetesProvider: "AKS", cni: { type: "AzureVNET" } }), apiServer];
    const v3Policy = resource("kubernetes:projectcalico.org/v3:GlobalNetworkPolicy", "platform-guardrail", { apiVersion: "projectcalico.org/v3", kind: "GlobalNetworkPolicy", metadata: { name: "platform.guardrail" }, spec: {} });
    const check = (resources: CapturedResource[]) => validateStack("calico-mode", resources).messages;

    it("accepts AKS-managed Calico with v1 objects, and self-managed Calico (operator, Installation AKS/AzureVNET, APIServer) with v3 objects", () => {
        expect(check([cluster, calicoPolicy("GlobalNetworkPolicy", "zero-trust-baseline", {})])).toEqual([]);
        expect(check([...selfManaged, v3Policy])).toEqual([]);
    });

    it("refuses networkPolicy none without self-managed Calico, and an Installation not for AKS with Azure CNI", () => {
        expect(check([noEngine])).toEqual([expect.stringMatching(/^networkProfile\.networkPolicy is "none" and the stack installs no self-managed Calico/)]);
        expect(check([noEngine, release, installation({ kubernetesProvider: "AKS", cni: { type: "Calico" } }), apiServer])).toEqual([expect.stringMatching(/^the Calico Installation has kubernetesProvider "AKS" and cni\.type "Calico", expected AKS and AzureVNET/)]);
    });

    it("refuses the internal v1 API in a self-managed stack, and v3 objects where AKS-managed Calico serves no v3", () => {
        expect(check([...selfManaged, calicoPolicy("GlobalNetworkPolicy", "zero-trust-baseline", {})])).toEqual([expect.stringMatching(/^GlobalNetworkPolicy .* is written on the internal crd\.projectcalico\.org\/v1 API while self-managed Calico serves projectcalico\.org\/v3/)]);
        expect(check([cluster, v3Policy])).toEqual([expect.stringMatching(/^GlobalNetworkPolicy platform-guardrail is written on projectcalico\.org\/v3, which AKS-managed Calico does not serve/)]);
    });
});
