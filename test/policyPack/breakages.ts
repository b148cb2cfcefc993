import type { CapturedResource } from "../../offline/runtime";
import { networkPolicy, withInputs } from "./harness";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const STAGED_KNP = "kubernetes:projectcalico.org/v3:StagedKubernetesNetworkPolicy";

/**
 * For each policy of the pack, the captured resources of a real stack broken so that the policy must find
 * something: the twin of "finds nothing on the real stack", so that a policy which never reports fails a test.
 */
export function breakEachPolicy(resources: readonly CapturedResource[]): Record<string, readonly CapturedResource[]> {
    const replace = (type: string, change: (resource: CapturedResource) => CapturedResource, which: (resource: CapturedResource) => boolean = () => true) =>
        resources.map((resource) => (resource.type === type && which(resource) ? change(resource) : resource));
    const named = (name: string) => (resource: CapturedResource) => (resource.inputs.metadata as { name?: string } | undefined)?.name === name;
    const data = { podSelector: { matchLabels: { app: "database", tier: "data" } } };
    const stagedStack = resources.some((resource) => resource.type === STAGED_KNP);
    const asTheStackWrites = (policy: CapturedResource): CapturedResource => {
        if (!stagedStack) return policy;
        const inputs = policy.inputs as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
        return { ...policy, type: STAGED_KNP, inputs: { apiVersion: "projectcalico.org/v3", kind: "StagedKubernetesNetworkPolicy", metadata: inputs.metadata, spec: { stagedAction: "Set", ...inputs.spec } } };
    };
    return {
        "aks-network-profile": replace(CLUSTER, (cluster) => withInputs(cluster, { networkProfile: { networkPolicy: "azure" } })),
        "aks-api-server-access": replace(CLUSTER, (cluster) => withInputs(cluster, { apiServerAccessProfile: { authorizedIPRanges: [] } })),
        "aks-api-server-restricted-in-dev": replace(CLUSTER, (cluster) => withInputs(cluster, { apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: [] } })),
        // 1.30 left AKS standard support in 2025 (core/azure/aksVersions.ts), so the finding holds whatever the date.
        "aks-kubernetes-version-support": replace(CLUSTER, (cluster) => withInputs(cluster, { kubernetesVersion: "1.30" })),
        "firewall-policy-dns-proxy-threat-intel": replace("azure-native:network:FirewallPolicy", (policy) => withInputs(policy, { dnsSettings: { enableProxy: false } })),
        "firewall-rules-no-wildcards": replace("azure-native:network:FirewallPolicyRuleCollectionGroup", (group) => {
            const collections = group.inputs.ruleCollections as Array<{ rules: Array<Record<string, unknown>> }>;
            return withInputs(group, { ruleCollections: [{ ...collections[0], rules: [{ ...collections[0].rules[0], targetFqdns: ["*"], fqdnTags: undefined }] }, ...collections.slice(1)] });
        }, (group) => group.inputs.ruleCollectionGroupName === "workload-egress"),
        "route-default-via-firewall": replace("azure-native:network:RouteTable", (table) => withInputs(table, { routes: (table.inputs.routes as Array<Record<string, unknown>>).map((route) => (route.addressPrefix === "0.0.0.0/0" ? { ...route, nextHopType: "Internet" } : route)) })),
        "network-policy-no-open-ingress": [...resources, networkPolicy("open", "shop", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] })],
        // As the stack writes an app namespace's policy: a Kubernetes NetworkPolicy, or (self-managed audit) its staged twin.
        "egress-never-opens-platform-endpoints": [...resources, asTheStackWrites(networkPolicy("metadata", "shop", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ protocol: "TCP", port: 80 }] }] }))],
        // The baseline in either Calico mode: crd.projectcalico.org/v1 (aks-managed) or a staged or enforced v3 policy (self-managed).
        "calico-policy-not-in-system-namespaces": resources.map((resource) => (/projectcalico\.org\/v[13]:(Staged)?GlobalNetworkPolicy$/.test(resource.type) && /(^|\.)zero-trust-baseline$/.test((resource.inputs.metadata as { name?: string }).name ?? "") ? withInputs(resource, { spec: { namespaceSelector: undefined } }) : resource)),
        // aks-managed: AKS's engine turned off with no self-managed Calico installed; self-managed: the operator's chart removed.
        "calico-mode": replace(CLUSTER, (cluster) => withInputs(cluster, { networkProfile: { networkPolicy: "none" } })).filter((resource) => resource.type !== "kubernetes:helm.sh/v3:Release"),
        "namespace-default-deny-and-dns": resources.filter((resource) => !named("default-deny-all")(resource)),
        "policy-budgets": [...resources, ...Array.from({ length: 5 }, (_, index) => networkPolicy(`extra-${index}`, "shop", { podSelector: { matchLabels: { app: `extra-${index}` } }, policyTypes: ["Ingress"] }))],
        "web-tier-never-reaches-data-tier": [...resources, networkPolicy("hotfix", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] })],
        "data-tier-egress-dns-only": [...resources, networkPolicy("database-egress", "shop", { ...data, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "52.0.0.0/8" } }], ports: [{ protocol: "TCP", port: 443 }] }] })],
        "data-tier-ingress-allowlist": [...resources, networkPolicy("database-ingress", "shop", { ...data, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.20.0.0/16" } }] }] })],
        "prod-stateful-resources-protected": replace("azure-native:network:AzureFirewall", (firewall) => ({ ...firewall, protect: false })),
    };
}
