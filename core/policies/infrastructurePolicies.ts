import { CalicoRule, calicoGlobalNetworkPolicy, calicoLabelSelector, calicoNamespaceSelector, KubeObject } from "../calico";
import type { InfrastructureIntent, SegmentationIntent } from "../intent";
import { calicoSource, dnsRules, egressAllowlistRules, portRules } from "./calicoRules";
import { ORDER_INFRASTRUCTURE, POLICY_SET_LABEL } from "./conventions";

/**
 * Calico global policies for infrastructure namespaces (ADR 008, layer 5), ordered before the namespace
 * policies. They select app namespaces by the policy-set label and infrastructure pods by namespace name,
 * so system namespaces and AKS's own `aaa-allow-konnectivity-agent` are never selected or overridden.
 */
export function renderInfrastructurePolicies(intent: SegmentationIntent): KubeObject[] {
    const appNamespaces = `${POLICY_SET_LABEL} == 'enabled'`;
    const policies: KubeObject[] = [];
    for (const infra of intent.infrastructure) {
        const infraPods = calicoLabelSelector(infra.podLabels);
        if (infra.podPorts.length > 0) {
            policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-ingress`, {
                order: ORDER_INFRASTRUCTURE,
                namespaceSelector: appNamespaces,
                selector: "all()",
                types: ["Ingress"],
                ingress: portRules(infra.podPorts, (ports) => ({ source: { namespaceSelector: calicoNamespaceSelector(infra.name), selector: infraPods }, destination: { ports } })),
            }));
        }
        // Infrastructure is always enforced, whatever the mode: what its allowlist does not name is logged and
        // denied here, before the baseline (order 3000) could let it through in audit mode.
        policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-egress`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(infra.name),
            selector: infraPods,
            types: ["Egress"],
            egress: [...infrastructureEgressRules(infra, intent, appNamespaces), { action: "Log" }, { action: "Deny" }],
        }));
        // Isolated on ingress too: only the declared sources reach any pod of the namespace.
        const accepted: CalicoRule[] = infra.ingressFrom.flatMap((source) => portRules(source.ports, (ports) => ({ source: calicoSource(source), destination: { ports } })));
        policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-accept`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(infra.name),
            selector: "all()",
            types: ["Ingress"],
            ingress: [...accepted, { action: "Log" }, { action: "Deny" }],
        }));
    }
    return policies;
}

/** Infrastructure pods' egress allowlist: DNS, the app pods' declared ports, their sinks, and the API server. */
function infrastructureEgressRules(infra: InfrastructureIntent, intent: SegmentationIntent, appNamespaces: string): CalicoRule[] {
    return [
        ...dnsRules(intent),
        ...portRules(infra.podPorts, (ports) => ({ destination: { namespaceSelector: appNamespaces, ports } })),
        ...egressAllowlistRules(infra.egress, intent),
    ];
}
