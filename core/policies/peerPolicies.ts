import { CalicoRule, calicoGlobalNetworkPolicy, calicoLabelSelector, calicoNamespaceSelector, KubeObject } from "../calico";
import { WIRESERVER_ADDRESS } from "../azure";
import { PeerIntent, PortSpec, portKey } from "../intent";
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
        ingress.push(...loadBalancerProbeRules(peer));
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

/**
 * Azure Load Balancer health probes, for a peer that takes traffic from address ranges (`ingressFrom` cidr: clients
 * behind a load balancer, internal or public). Probes come from 168.63.129.16 (core/azure/platformAddresses.ts); with
 * a Service's default `externalTrafficPolicy: Cluster`, a probe that lands on a node running the peer's pod is
 * DNATed to the pod port the clients use, and Felix decides on it with that source address: its policy runs in filter
 * FORWARD, before kube-proxy's masquerade of node-port traffic in nat POSTROUTING (KUBE-MARK-MASQ, KUBE-POSTROUTING).
 * Without this allow it falls to the baseline's deny and the backend flaps. It is ingress only: the platform-address guardrail denies pods' EGRESS to WireServer,
 * and the probe's replies are conntrack-established, which Felix accepts before any policy.
 */
export function loadBalancerProbeRules(peer: PeerIntent): CalicoRule[] {
    const ports = new Map<string, PortSpec>(peer.ingressFrom.filter((source) => source.cidr !== undefined).flatMap((source) => source.ports).map((port) => [portKey(port), port]));
    return portRules([...ports.values()], (calicoPorts) => ({ source: { nets: [WIRESERVER_ADDRESS] }, destination: { ports: calicoPorts } }));
}
