import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { FIREWALL_MANAGEMENT_SUBNET_NAME, FIREWALL_SUBNET_NAME } from "../core/config";

/** Arguments of the platform network. */
export interface NetworkArgs {
    /** Resource group that holds the network. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure region. */
    readonly location: string;
    /** Name of the virtual network. */
    readonly virtualNetworkName: string;
    /** Address space of the virtual network. */
    readonly vnetCidr: string;
    /** Range of `AzureFirewallSubnet`. */
    readonly firewallSubnetCidr: string;
    /** DNS servers for the VNet: the firewall's DNS proxy, so that FQDN rules resolve what the nodes resolve. */
    readonly dnsServers: readonly string[];
    /** Range of `AzureFirewallManagementSubnet`; only the Basic SKU needs it. */
    readonly firewallManagementSubnetCidr?: string;
    /** Tags for every resource. */
    readonly tags: Record<string, string>;
}

/**
 * The virtual network and the firewall's subnets. The node subnet lives in `NodeSubnet`, because its
 * route table points at the firewall, which in turn needs this network.
 */
export class Network extends pulumi.ComponentResource {
    /** The virtual network. */
    public readonly virtualNetwork: network.VirtualNetwork;
    /** `AzureFirewallSubnet`. */
    public readonly firewallSubnet: network.Subnet;
    /** `AzureFirewallManagementSubnet`, when the SKU needs one. */
    public readonly firewallManagementSubnet: network.Subnet | undefined;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aks-zero-trust:network:Network", name, {}, opts);

        // Subnets are standalone resources and the VNet declares none inline: mixing both causes perpetual diffs.
        this.virtualNetwork = new network.VirtualNetwork(`${name}-vnet`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            virtualNetworkName: args.virtualNetworkName,
            addressSpace: { addressPrefixes: [args.vnetCidr] },
            dhcpOptions: { dnsServers: [...args.dnsServers] },
            tags: args.tags,
        }, { parent: this, ignoreChanges: ["subnets"] });

        this.firewallSubnet = new network.Subnet(`${name}-firewall-subnet`, {
            resourceGroupName: args.resourceGroupName,
            virtualNetworkName: this.virtualNetwork.name,
            subnetName: FIREWALL_SUBNET_NAME,
            addressPrefix: args.firewallSubnetCidr,
        }, { parent: this });

        // Subnets of one VNet are created one after another: Azure rejects concurrent subnet writes.
        this.firewallManagementSubnet = args.firewallManagementSubnetCidr
            ? new network.Subnet(`${name}-firewall-management-subnet`, {
                resourceGroupName: args.resourceGroupName,
                virtualNetworkName: this.virtualNetwork.name,
                subnetName: FIREWALL_MANAGEMENT_SUBNET_NAME,
                addressPrefix: args.firewallManagementSubnetCidr,
            }, { parent: this, dependsOn: [this.firewallSubnet] })
            : undefined;

        this.registerOutputs({
            virtualNetworkId: this.virtualNetwork.id,
            firewallSubnetId: this.firewallSubnet.id,
        });
    }
}
