import { numberToIpv4, parseIpv4Block } from "../common";
import type { StackConfig } from "./stackConfig";

/**
 * Azure resource names for a stack, following the Cloud Adoption Framework abbreviations
 * (rg-, vnet-, snet-, nsg-, afw-, afwp-, pip-, rt-, aks-, id-, log-). Explicit names keep diffs stable:
 * no provider-generated suffixes.
 */
export interface AzureNames {
    readonly resourceGroup: string;
    readonly nodeResourceGroup: string;
    readonly virtualNetwork: string;
    readonly nodeSubnet: string;
    readonly routeTable: string;
    readonly nodeNetworkSecurityGroup: string;
    readonly firewall: string;
    readonly firewallPolicy: string;
    readonly firewallPublicIp: (index: number) => string;
    readonly firewallManagementPublicIp: string;
    readonly workspace: string;
    readonly cluster: string;
    readonly clusterIdentity: string;
    readonly dnsPrefix: string;
}

/** Derives every Azure resource name from the prefix, stack and region. */
export function azureNames(config: Pick<StackConfig, "prefix" | "stack" | "location">): AzureNames {
    const base = `${config.prefix}-${config.stack}`;
    return {
        resourceGroup: `rg-${base}-${config.location}`,
        nodeResourceGroup: `rg-${base}-${config.location}-nodes`,
        virtualNetwork: `vnet-${base}`,
        nodeSubnet: "snet-aks-nodes",
        routeTable: `rt-${base}-aks-egress`,
        nodeNetworkSecurityGroup: `nsg-${base}-aks-nodes`,
        firewall: `afw-${base}`,
        firewallPolicy: `afwp-${base}`,
        firewallPublicIp: (index) => `pip-afw-${base}-${String(index + 1).padStart(2, "0")}`,
        firewallManagementPublicIp: `pip-afw-${base}-mgmt`,
        workspace: `log-${base}`,
        cluster: `aks-${base}`,
        clusterIdentity: `id-aks-${base}`,
        dnsPrefix: `aks-${base}`,
    };
}

/** Subnet names Azure fixes for the firewall (Azure Firewall docs). */
export const FIREWALL_SUBNET_NAME = "AzureFirewallSubnet";
export const FIREWALL_MANAGEMENT_SUBNET_NAME = "AzureFirewallManagementSubnet";

/**
 * The private IP Azure gives the firewall: the first usable address of AzureFirewallSubnet (Azure keeps
 * the first four of every subnet). Known before the firewall exists, so the VNet's DNS can point at the
 * firewall's DNS proxy without a dependency cycle; EgressFirewall checks the real address against it.
 */
export function predictedFirewallPrivateIp(firewallSubnetCidr: string): string {
    return numberToIpv4(parseIpv4Block(firewallSubnetCidr).first + 4);
}
