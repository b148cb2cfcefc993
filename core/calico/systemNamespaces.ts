/**
 * Namespaces that belong to Kubernetes, AKS, Calico or AKS add-ons: the one list of what zero trust leaves
 * alone. App policy sets may not use them. The cluster baseline and the platform-address guardrail leave alone
 * only those that exist on this cluster: an add-on's namespace is exempt only while the add-on is on, so that a
 * namespace someone creates under that name, with the add-on off, is not outside the boundary. Read 2026-12-01.
 */

/** AKS add-ons whose namespaces are exempt only while the add-on is on. */
export type AksAddon = "azurePolicy" | "applicationRouting" | "istio";

interface SystemNamespace {
    readonly owner: string;
    /** Exempt only while this add-on is enabled; always exempt when absent. */
    readonly addon?: AksAddon;
}

export const SYSTEM_NAMESPACE_SOURCES: Readonly<Record<string, SystemNamespace>> = {
    // Kubernetes itself. Also where AKS runs CoreDNS, konnectivity-agent, metrics-server, kube-proxy, the
    // Azure Monitor agents (ama-logs, ama-metrics), the Azure Policy add-on's azure-policy pods, KEDA and
    // the CSI drivers (AKS docs, "Container Insights overview", "Azure Policy for Kubernetes", "KEDA add-on").
    "kube-system": { owner: "Kubernetes; AKS system components and add-on agents" },
    "kube-public": { owner: "Kubernetes" },
    "kube-node-lease": { owner: "Kubernetes node heartbeats" },
    // AKS-managed Calico: tigera-operator installs Calico into calico-system (REFERENCE.md section 2).
    "calico-system": { owner: "Calico (AKS network policy engine)" },
    "tigera-operator": { owner: "Calico's operator" },
    // Self-managed Calico 3.30 runs its API server here; from 3.31 it runs in calico-system (tigera/operator#3960,
    // tigera/docs#2153). Kept after an upgrade to 3.31 until the operator removes it.
    "calico-apiserver": { owner: "Calico API server (self-managed Calico 3.30)" },
    // Azure Policy add-on (AKS docs, "Understand Azure Policy for Kubernetes clusters").
    "gatekeeper-system": { owner: "Azure Policy add-on (Gatekeeper)", addon: "azurePolicy" },
    // Application routing add-on: managed NGINX ingress (AKS docs, "app-routing", limitations section).
    "app-routing-system": { owner: "AKS application routing add-on", addon: "applicationRouting" },
    // `az aks command invoke` runs its command-<id> pods here, creating the namespace on demand whenever someone
    // runs it (AKS troubleshooting, "az aks command invoke failures"): always exempt.
    "aks-command": { owner: "AKS run command" },
    // Istio-based service mesh add-on (AKS docs, "istio-deploy-addon", "istio-deploy-ingress"; the egress gateways'
    // default namespace is aks-istio-egress: ARM containerservice API reference, IstioEgressGateway.namespace).
    "aks-istio-system": { owner: "AKS Istio add-on control plane", addon: "istio" },
    "aks-istio-ingress": { owner: "AKS Istio add-on ingress gateways", addon: "istio" },
    "aks-istio-egress": { owner: "AKS Istio add-on egress gateways", addon: "istio" },
    // Not here on purpose: cluster extensions (Microsoft.KubernetesConfiguration: Flux, Dapr, Backup, ...) install
    // into their own namespaces, which this stack neither enables nor creates. Exempting a name nobody uses would
    // leave any namespace of that name open; a cluster that runs an extension declares its namespace as a peer
    // or infrastructure, with the flows it needs.
};

/** Every system namespace name, sorted: none may be declared as an app, peer or infrastructure namespace. */
export const SYSTEM_NAMESPACES: readonly string[] = Object.keys(SYSTEM_NAMESPACE_SOURCES).sort();

/** The system namespaces that exist with these add-ons on, sorted: what the baseline and the guardrails leave alone. */
export function exemptNamespaces(enabledAddons: readonly AksAddon[]): string[] {
    return SYSTEM_NAMESPACES.filter((name) => {
        const addon = SYSTEM_NAMESPACE_SOURCES[name]!.addon;
        return addon === undefined || enabledAddons.includes(addon);
    });
}
