import type { CalicoEntity } from "../calico";

/** ADR 008: "Goal: <10 policies per namespace, <20 global policies". */
export const NAMESPACE_POLICY_BUDGET = 10;
export const GLOBAL_POLICY_BUDGET = 20;

/** Label on every app namespace with a policy set; infrastructure policies select namespaces by it. */
export const POLICY_SET_LABEL = "aks-zero-trust.io/policy-set";
/** Label carrying the namespace's rollout mode. */
export const MODE_LABEL = "aks-zero-trust.io/mode";

/**
 * Calico orders, all in the default tier: infrastructure and peer allowances first, then API access and the
 * API-server deny, then Kubernetes policies (1000, Calico docs "Kubernetes policy"), then the namespace's
 * denied-flow logger, then the cluster baseline. Lower orders decide first; Allow and Deny end evaluation.
 */
export const ORDER_INFRASTRUCTURE = 100;
export const ORDER_KUBERNETES_API = 500;
export const ORDER_DENY_KUBERNETES_API = 600;
export const ORDER_LOG_DENIED = 2000;
export const ORDER_BASELINE = 3000;

/** The cluster-wide GlobalNetworkPolicy that isolates every pod outside the system namespaces. */
export const BASELINE_POLICY = "zero-trust-baseline";

/**
 * Policies whose verdict follows the rollout mode: their last rule is `Allow` (audit) or `Deny` (enforce) after a
 * `Log`, or, for the API-server deny, a lone `Log` in audit. The intent check evaluates them as enforce would.
 */
export const MODE_DEPENDENT_POLICIES = ["deny-kubernetes-api", "log-denied", BASELINE_POLICY] as const;

/**
 * Calico service match on the API server: "endpoint addresses and ports ... are automatically detected from the
 * service" (Calico docs, "Use service rules in policy"), so it follows the API server wherever AKS puts it.
 * Felix 3.29-3.31 fill the rule's IP set with each EndpointSlice address and port of default/kubernetes
 * (felix/serviceindex/serviceindex.go membersFromEndpointSlice; the ClusterIP is not in it). A pod dialling
 * the ClusterIP (10.x.0.1:443) still matches: kube-proxy DNATs in nat PREROUTING, before Felix's filter FORWARD
 * chains see the packet. A pod dialling the API server's FQDN matches too: on a public cluster that endpoint is
 * the API server's public address (the AKS egress docs read "the IP address of API server endpoint" from
 * `kubectl get endpoints kubernetes`), on a private one its private endpoint. The namespace is always set:
 * Calico does not default it (updateprocessors/rules.go).
 */
export const KUBERNETES_API: CalicoEntity = { services: { name: "kubernetes", namespace: "default" } };

/** AKS LocalDNS listeners: 169.254.10.11 for pods (ClusterFirst), 169.254.10.10 for the node (AgentBaker localdns.sh). */
export const LOCAL_DNS_ADDRESSES = ["169.254.10.10/32", "169.254.10.11/32"];

/** Calico's namespace-name label (REFERENCE.md section 3). */
export const NAMESPACE_NAME = "projectcalico.org/name";
