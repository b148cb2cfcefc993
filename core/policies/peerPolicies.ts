import { CalicoRule, calicoGlobalNetworkPolicy, calicoLabelSelector, calicoNamespaceSelector, KubeObject } from "../calico";
import type { SegmentationIntent } from "../intent";
import { calicoSource, dnsRules, egressAllowlistRules, portRules } from "./calicoRules";
import { ORDER_INFRASTRUCTURE } from "./conventions";

/**
 * Peers (ingress controller, cert-manager): namespaces the platform needs but the app does not own. Their pods
 * may reach the app workloads that accept them (`ingressFrom` naming the peer) on those ports, DNS and their own
 * egress allowlist, and be reached from their declared sources. Everything else falls to the baseline.
 */
export function renderPeerPolicies(intent: SegmentationIntent): KubeObject[] {
    return intent.peers.map((peer) => {
        const ingress: CalicoRule[] = [];
        for (const source of peer.ingressFrom) {
            ingress.push(...portRules(source.ports, (ports) => ({ source: calicoSource(source), destination: { ports } })));
        }
        const egress: CalicoRule[] = [...dnsRules(intent)];
        for (const workload of intent.namespaces.flatMap((namespace) => namespace.workloads)) {
            for (const entry of workload.ingressFrom) {
                if (entry.namespace !== peer.name) continue;
                if (entry.podLabels && peer.podLabels && !Object.entries(entry.podLabels).every(([key, value]) => peer.podLabels![key] === value)) continue;
                egress.push(...portRules(entry.ports, (ports) => ({ destination: { namespaceSelector: calicoNamespaceSelector(workload.namespace), selector: calicoLabelSelector(workload.labels), ports } })));
            }
        }
        egress.push(...egressAllowlistRules(peer.egress, intent));
        return calicoGlobalNetworkPolicy(`peer-${peer.name}`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(peer.name),
            selector: calicoLabelSelector(peer.podLabels),
            types: ["Ingress", "Egress"],
            ingress,
            egress,
        });
    });
}
