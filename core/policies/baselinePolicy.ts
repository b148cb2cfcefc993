import { CalicoRule, calicoGlobalNetworkPolicy, KubeObject } from "../calico";
import type { SegmentationIntent } from "../intent";
import { DENY_KUBERNETES_API_RULES, dnsRules, nonSystemNamespaceSelector } from "./calicoRules";
import { BASELINE_POLICY, ORDER_BASELINE } from "./conventions";

/**
 * Zero trust for every namespace, declared or not: every pod outside the system namespaces is isolated both
 * ways, DNS excepted. Ordered after everything else in the default tier, it decides only what no earlier policy
 * did: app namespaces' `log-denied` (order 2000) already decides all their traffic, so in practice it governs
 * undeclared namespaces, peers beyond their allowances, and infrastructure pods outside their podLabels. Follows
 * the stack's default mode: Log then Deny (enforce) or Log then Allow (audit). The API server is denied in every
 * mode: a peer, an infrastructure pod or an undeclared namespace reaches it only through a declared `kubernetesApi`.
 */
// Kubelet probes keep working under the baseline: Felix does not police traffic from a node to its own pods
// (felix/rules/static.go filterOutputChain returns packets leaving by a workload interface, 3.29-3.31), and the
// pod's replies are conntrack-established. Node-to-pod traffic from other nodes and from the VNet is policed.
// `selector: all()` with a namespaceSelector becomes `has(projectcalico.org/namespace) && pcns....` in Felix
// (updateprocessors/globalnetworkpolicyprocessor.go), so host endpoints are never selected.
export function renderBaselinePolicy(intent: SegmentationIntent): KubeObject {
    const verdict: CalicoRule = { action: intent.defaultMode === "enforce" ? "Deny" : "Allow" };
    return calicoGlobalNetworkPolicy(BASELINE_POLICY, {
        order: ORDER_BASELINE,
        // The system namespaces are AKS's (core/calico/systemNamespaces.ts); a GlobalNetworkPolicy with a namespaceSelector selects pods only.
        namespaceSelector: nonSystemNamespaceSelector(intent),
        selector: "all()",
        types: ["Ingress", "Egress"],
        ingress: [{ action: "Log" }, verdict],
        egress: [...dnsRules(intent), ...DENY_KUBERNETES_API_RULES, { action: "Log" }, verdict],
    });
}
