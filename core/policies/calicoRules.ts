import { CalicoEntity, CalicoRule, calicoLabelSelector, calicoNamespaceSelector } from "../calico";
import { contains, parseIpv4Block } from "../common";
import {
    AZURE_PLATFORM_ADDRESS,
    comparePorts,
    EgressIntent,
    ExternalIngress,
    PortSpec,
    portKey,
    PRIVATE_RANGES,
    SHARED_ADDRESS_SPACE,
    SegmentationIntent,
} from "../intent";
import { KUBERNETES_API, LOCAL_DNS_ADDRESSES, NAMESPACE_NAME } from "./conventions";

/** DNS to CoreDNS (and the LocalDNS listeners when on), one Allow rule per protocol. */
export function dnsRules(intent: SegmentationIntent): CalicoRule[] {
    const rules: CalicoRule[] = [];
    const dns: CalicoEntity = { namespaceSelector: calicoNamespaceSelector("kube-system"), selector: "k8s-app == 'kube-dns'", ports: [53] };
    rules.push({ action: "Allow", protocol: "UDP", destination: dns }, { action: "Allow", protocol: "TCP", destination: dns });
    if (intent.cluster.localDns) {
        const local: CalicoEntity = { nets: LOCAL_DNS_ADDRESSES, ports: [53] };
        rules.push({ action: "Allow", protocol: "UDP", destination: local }, { action: "Allow", protocol: "TCP", destination: local });
    }
    return rules;
}

/** A Calico source for an ingress entry: a range, or pods of a namespace. */
export function calicoSource(source: ExternalIngress): CalicoEntity {
    if (source.cidr !== undefined) return { nets: [source.cidr] };
    return { namespaceSelector: calicoNamespaceSelector(source.namespace!), selector: calicoLabelSelector(source.podLabels) };
}

/**
 * The API server, logged and denied: a `services` match on default/kubernetes, which follows the API server's real
 * endpoints (conventions.ts KUBERNETES_API), so a range rule after it cannot reach a public API server that happens to
 * lie inside the range.
 */
export const DENY_KUBERNETES_API_RULES: readonly CalicoRule[] = [{ action: "Log", destination: KUBERNETES_API }, { action: "Deny", destination: KUBERNETES_API }];

/**
 * CIDR, internet and API-server rules of an egress allowlist (peers, infrastructure). Without `kubernetesApi`, the API
 * server is denied first, in every mode: a range such as 20.0.0.0/8 on 443 may hold the public API server.
 */
export function egressAllowlistRules(egress: EgressIntent, intent: SegmentationIntent): CalicoRule[] {
    const rules: CalicoRule[] = egress.kubernetesApi ? [] : [...DENY_KUBERNETES_API_RULES];
    for (const entry of egress.cidrs) {
        rules.push(...portRules(entry.ports, (ports) => ({ destination: { nets: [entry.cidr], ports } })));
    }
    const internetPorts = internetPortsOf(egress);
    if (internetPorts.length > 0) {
        rules.push(...portRules(internetPorts, (ports) => ({ destination: { nets: ["0.0.0.0/0"], notNets: nonInternetRanges(intent), ports } })));
    }
    if (egress.kubernetesApi) {
        rules.push({ action: "Allow", destination: KUBERNETES_API });
    }
    return rules;
}

/** Calico rules carry one protocol each: one Allow rule per protocol, ports as numbers or "a:b" ranges. */
export function portRules(ports: readonly PortSpec[], build: (calicoPorts: Array<number | string>) => Pick<CalicoRule, "source" | "destination">): CalicoRule[] {
    const byProtocol = new Map<PortSpec["protocol"], Array<number | string>>();
    for (const port of [...ports].sort(comparePorts)) {
        const list = byProtocol.get(port.protocol) ?? [];
        list.push(port.endPort !== undefined ? `${port.port}:${port.endPort}` : port.port);
        byProtocol.set(port.protocol, list);
    }
    return [...byProtocol.entries()].map(([protocol, calicoPorts]) => ({ action: "Allow" as const, protocol, ...build(calicoPorts) }));
}

/** The TCP ports an allowlist's FQDNs need through the firewall, one entry per port, sorted. */
export function internetPortsOf(allowlist: EgressIntent): PortSpec[] {
    const ports = new Map<string, PortSpec>();
    for (const entry of allowlist.fqdns) {
        for (const port of entry.ports) {
            const spec: PortSpec = { protocol: "TCP", port };
            ports.set(portKey(spec), spec);
        }
    }
    return [...ports.values()].sort(comparePorts);
}

/** Private, link-local, shared, platform and cluster ranges: never "the internet". Nested ranges are dropped. */
export function nonInternetRanges(intent: SegmentationIntent): string[] {
    const candidates = [...PRIVATE_RANGES, SHARED_ADDRESS_SPACE, AZURE_PLATFORM_ADDRESS, intent.cluster.podCidr, intent.cluster.serviceCidr, intent.cluster.vnetCidr];
    const blocks = [...new Set(candidates)].map(parseIpv4Block);
    const outermost = blocks.filter((block) => !blocks.some((other) => other !== block && contains(other, block) && !(other.first === block.first && other.last === block.last)));
    return outermost.sort((a, b) => a.first - b.first).map((block) => block.cidr);
}

/** Calico's namespace selector for every namespace but the cluster's system namespaces (they are AKS's to run). */
export function nonSystemNamespaceSelector(intent: SegmentationIntent): string {
    return `${NAMESPACE_NAME} not in {${intent.cluster.exemptNamespaces.map((name) => `'${name}'`).join(", ")}}`;
}

/** Labels sorted by key, so that rendered selectors and pods are stable. */
export function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
