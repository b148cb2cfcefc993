/**
 * Namespaces that belong to Kubernetes, AKS, Calico or AKS add-ons: the one list of what zero trust leaves
 * alone. App policy sets may not use them, and the cluster baseline never selects them (their pods are
 * AKS's to run: a deny there breaks the cluster). Read 2026-12-01.
 */
export const SYSTEM_NAMESPACE_SOURCES = {
    // Kubernetes itself. Also where AKS runs CoreDNS, konnectivity-agent, metrics-server, kube-proxy, the
    // Azure Monitor agents (ama-logs, ama-metrics), the Azure Policy add-on's azure-policy pods, KEDA and
    // the CSI drivers (AKS docs, "Container Insights overview", "Azure Policy for Kubernetes", "KEDA add-on").
    "kube-system": "Kubernetes; AKS system components and add-on agents",
    "kube-public": "Kubernetes",
    "kube-node-lease": "Kubernetes node heartbeats",
    // AKS-managed Calico: tigera-operator installs Calico into calico-system (REFERENCE.md section 2).
    "calico-system": "Calico (AKS network policy engine)",
    "tigera-operator": "Calico's operator",
    // Self-managed Calico 3.30 runs its API server here; from 3.31 it runs in calico-system (tigera/operator#3960,
    // tigera/docs#2153). Kept after an upgrade to 3.31 until the operator removes it.
    "calico-apiserver": "Calico API server (self-managed Calico 3.30)",
    // Azure Policy add-on (AKS docs, "Understand Azure Policy for Kubernetes clusters").
    "gatekeeper-system": "Azure Policy add-on (Gatekeeper)",
    // Application routing add-on: managed NGINX ingress (AKS docs, "app-routing", limitations section).
    "app-routing-system": "AKS application routing add-on",
    // `az aks command invoke` runs its command-<id> pods here (AKS troubleshooting, "az aks command invoke failures").
    "aks-command": "AKS run command",
    // Istio-based service mesh add-on (AKS docs, "istio-deploy-addon", "istio-deploy-ingress"; the egress gateways'
    // default namespace is aks-istio-egress: ARM containerservice API reference, IstioEgressGateway.namespace).
    "aks-istio-system": "AKS Istio add-on control plane",
    "aks-istio-ingress": "AKS Istio add-on ingress gateways",
    "aks-istio-egress": "AKS Istio add-on egress gateways",
    // Not here on purpose: cluster extensions (Microsoft.KubernetesConfiguration: Flux, Dapr, Backup, ...) install
    // into their own namespaces, which this stack neither enables nor creates. Exempting a name nobody uses would
    // leave any namespace of that name open; a cluster that runs an extension declares its namespace as a peer
    // or infrastructure, with the flows it needs.
} as const;

/** The system namespaces, sorted. */
export const SYSTEM_NAMESPACES = (Object.keys(SYSTEM_NAMESPACE_SOURCES) as Array<keyof typeof SYSTEM_NAMESPACE_SOURCES>).sort();
