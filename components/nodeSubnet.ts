import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as monitor from "@pulumi/azure-native/monitor";
import { NSG_LOG_CATEGORIES, nodeSubnetSecurityRules } from "../core/azure";

/** Arguments of the node subnet and its egress route table. */
export interface NodeSubnetArgs {
    /** Resource group of the virtual network. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure region. */
    readonly location: string;
    /** Virtual network that receives the subnet. */
    readonly virtualNetworkName: pulumi.Input<string>;
    /** Name of the node subnet. */
    readonly subnetName: string;
    /** Range of the node subnet. */
    readonly subnetCidr: string;
    /** Name of the route table. */
    readonly routeTableName: string;
    /** Name of the network security group. */
    readonly networkSecurityGroupName: string;
    /** Overlay pod CIDR: pod traffic between nodes carries these addresses through the subnet's NSG. */
    readonly podCidr: string;
    /** Log Analytics workspace for the NSG's logs. */
    readonly workspaceId: pulumi.Input<string>;
    /** Private IP of the firewall: the next hop for all internet-bound traffic. */
    readonly firewallPrivateIp: pulumi.Input<string>;
    /** Public IPs of the firewall, routed straight to the internet to avoid asymmetric routing. */
    readonly firewallPublicIps: pulumi.Input<string>[];
    /** Resources the subnet must wait for (e.g. the other subnets of the VNet). */
    readonly after?: pulumi.Input<pulumi.Resource>[];
    /** Tags for every resource. */
    readonly tags: Record<string, string>;
}

/**
 * The AKS node subnet, with a route table that sends `0.0.0.0/0` to the firewall.
 * This is what makes the firewall the only way out (AKS docs, "Limit egress traffic with Azure Firewall").
 */
export class NodeSubnet extends pulumi.ComponentResource {
    /** The route table attached to the node subnet. */
    public readonly routeTable: network.RouteTable;
    /** The node subnet. */
    public readonly subnet: network.Subnet;
    /** The node subnet's network security group. */
    public readonly networkSecurityGroup: network.NetworkSecurityGroup;

    constructor(name: string, args: NodeSubnetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aks-zero-trust:network:NodeSubnet", name, {}, opts);

        const publicIpRoutes = args.firewallPublicIps.map((ip, index) => ({
            name: `firewall-public-ip-${String(index + 1).padStart(2, "0")}`,
            addressPrefix: pulumi.interpolate`${ip}/32`,
            nextHopType: "Internet",
        }));
        this.routeTable = new network.RouteTable(`${name}-route-table`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            routeTableName: args.routeTableName,
            // BGP routes (VPN/ExpressRoute) must not override the forced egress route.
            disableBgpRoutePropagation: true,
            routes: [
                { name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: args.firewallPrivateIp },
                ...publicIpRoutes,
            ],
            tags: args.tags,
        }, { parent: this });

        this.networkSecurityGroup = new network.NetworkSecurityGroup(`${name}-nsg`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            networkSecurityGroupName: args.networkSecurityGroupName,
            securityRules: nodeSubnetSecurityRules(args.subnetCidr, args.podCidr).map((rule) => ({ ...rule })),
            tags: args.tags,
        }, { parent: this });

        new monitor.DiagnosticSetting(`${name}-nsg-diagnostics`, {
            name: "to-log-analytics",
            resourceUri: this.networkSecurityGroup.id,
            workspaceId: args.workspaceId,
            logs: NSG_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
        }, { parent: this });

        this.subnet = new network.Subnet(`${name}-subnet`, {
            resourceGroupName: args.resourceGroupName,
            virtualNetworkName: args.virtualNetworkName,
            subnetName: args.subnetName,
            addressPrefix: args.subnetCidr,
            routeTable: { id: this.routeTable.id },
            networkSecurityGroup: { id: this.networkSecurityGroup.id },
            // No implicit outbound access: the only way out is the route to the firewall.
            defaultOutboundAccess: false,
        }, { parent: this, dependsOn: args.after });

        this.registerOutputs({ routeTableId: this.routeTable.id, subnetId: this.subnet.id });
    }
}
