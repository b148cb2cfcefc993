import { contains, parseIpv4Block } from "../common";
import type { EgressIntent, SegmentationIntent } from "../intent";
import { CLUSTER_OWNER, type CidrAllowance, type FqdnAllowance } from "./firewallRules";

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

/** Who holds an egress allowlist in stack config: a workload, an infrastructure namespace, or the cluster-wide list. */
export type AllowanceHolder =
    | { readonly kind: "workload"; readonly namespace: string; readonly workload: string }
    | { readonly kind: "infrastructure"; readonly name: string }
    | { readonly kind: "cluster" };

/** Every egress allowlist with the firewall rule owner it belongs to: `namespace-workload` or `infra-namespace`. */
function egressOwners(intent: SegmentationIntent): Array<{ owner: string; holder: AllowanceHolder; egress: EgressIntent }> {
    return [
        ...intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => ({
            owner: `${namespace.name}-${workload.name}`,
            holder: { kind: "workload" as const, namespace: namespace.name, workload: workload.name },
            egress: workload.egress,
        }))),
        ...intent.infrastructure.map((infra) => ({ owner: `infra-${infra.name}`, holder: { kind: "infrastructure" as const, name: infra.name }, egress: infra.egress })),
    ];
}

/** The owner names the firewall's rules are named after, with who holds each in stack config. */
export function allowanceOwners(intent: SegmentationIntent | undefined): Array<{ owner: string; holder: AllowanceHolder }> {
    return [{ owner: CLUSTER_OWNER, holder: { kind: "cluster" } }, ...(intent ? egressOwners(intent).map(({ owner, holder }) => ({ owner, holder })) : [])];
}
