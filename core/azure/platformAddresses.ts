import { cidrProblem, overlaps, parseIpv4Block } from "../common";

/**
 * Azure platform addresses that every VM, and through it every pod, can reach without a route or a firewall in the
 * way. Read 2026-12-07.
 *
 * - 169.254.169.254, the Instance Metadata Service (IMDS): hands out access tokens for the VM's managed identities
 *   (Azure docs, "Azure Instance Metadata Service", virtual-machines/instance-metadata-service.md). On AKS the
 *   default `networkProfile.podLinkLocalAccess` is `IMDS`: pods that are not host-networked reach it too
 *   (REFERENCE.md section 6).
 * - 168.63.129.16, WireServer: the host agent's endpoint (80, 32526), DNS for Azure-provided name resolution, and
 *   the source of Azure Load Balancer health probes (Azure docs, "What is IP address 168.63.129.16?",
 *   virtual-network/what-is-ip-address-168-63-129-16.md).
 */
export const INSTANCE_METADATA_ADDRESS = "169.254.169.254/32";
export const WIRESERVER_ADDRESS = "168.63.129.16/32";

/** Both, for policies and checks that must keep pods away from the platform's credentials and agents. */
export const PLATFORM_ENDPOINTS = [WIRESERVER_ADDRESS, INSTANCE_METADATA_ADDRESS] as const;

/**
 * Link-local space: IMDS lives in it, and so does everything else the node serves to its pods without a route
 * (AKS LocalDNS's 169.254.10.10/11 listeners, which the stack opens itself when LocalDNS is on). No declared egress
 * may touch it (RFC 3927).
 */
export const LINK_LOCAL_RANGE = "169.254.0.0/16";

/**
 * Why a declared egress range must not be allowed, if it must not: it overlaps link-local space (the instance
 * metadata service hands out the node's managed-identity tokens there) or holds WireServer (the host agent).
 * One rule for config validation and the policy pack.
 */
export function platformAddressProblem(cidr: string): string | undefined {
    if (cidrProblem(cidr) !== undefined) return undefined;
    const block = parseIpv4Block(cidr);
    if (overlaps(block, parseIpv4Block(LINK_LOCAL_RANGE))) {
        return `${cidr} overlaps link-local ${LINK_LOCAL_RANGE}, where the instance metadata service (${INSTANCE_METADATA_ADDRESS.replace("/32", "")}) hands out the node's managed-identity tokens; pods must never reach it (the stack opens AKS LocalDNS itself when cluster.localDns is on)`;
    }
    if (overlaps(block, parseIpv4Block(WIRESERVER_ADDRESS))) {
        return `${cidr} holds WireServer ${WIRESERVER_ADDRESS.replace("/32", "")}, the Azure host agent's endpoint; pods must never reach it`;
    }
    return undefined;
}
