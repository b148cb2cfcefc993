import { contains, parseIpv4Block } from "../common";
import type { EgressIntent, SegmentationIntent } from "../intent";
import type { CidrAllowance, FqdnAllowance } from "./firewallRules";

/** The FQDNs each workload or infrastructure namespace needs on the firewall. */
export function firewallFqdnAllowances(intent: SegmentationIntent): FqdnAllowance[] {
    return egressOwners(intent).flatMap(({ owner, egress }) => egress.fqdns.map((entry) => ({ owner, ...entry })));
}

/**
 * Egress CIDRs that leave through the firewall: traffic to the VNet, pods and services stays inside, while
 * everything else follows the node subnet's default route and needs a firewall network rule too.
 */
export function firewallCidrAllowances(intent: SegmentationIntent): CidrAllowance[] {
    const inside = [intent.cluster.vnetCidr, intent.cluster.podCidr, intent.cluster.serviceCidr].map(parseIpv4Block);
    const leaves = (cidr: string) => !inside.some((block) => contains(block, parseIpv4Block(cidr)));
    return egressOwners(intent).flatMap(({ owner, egress }) => egress.cidrs.filter((entry) => leaves(entry.cidr)).map((entry) => ({ owner, ...entry })));
}

/** Every egress allowlist with the firewall rule owner it belongs to: `namespace-workload` or `infra-namespace`. */
function egressOwners(intent: SegmentationIntent): Array<{ owner: string; egress: EgressIntent }> {
    return [
        ...intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => ({ owner: `${namespace.name}-${workload.name}`, egress: workload.egress }))),
        ...intent.infrastructure.map((infra) => ({ owner: `infra-${infra.name}`, egress: infra.egress })),
    ];
}
