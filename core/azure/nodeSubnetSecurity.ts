/**
 * The node subnet's network security group rules. Overlay pod traffic is not encapsulated, so subnet NSG rules see
 * pod addresses; AKS docs, "Azure CNI Overlay networking" (section "Network security groups"), list what must stay
 * open: node CIDR to node CIDR, node CIDR to pod CIDR, and pod CIDR to pod CIDR, all ports and protocols. Azure's
 * load balancer health probes arrive from the `AzureLoadBalancer` tag. Everything from `Internet` is denied
 * explicitly (the default DenyAllInBound would too, but the rule makes the intent visible in the portal and logs).
 * Outbound keeps Azure's defaults: the route table already sends everything to the firewall.
 */

/** One inbound security rule, in the shape azure-native's NetworkSecurityGroup `securityRules` take. */
export interface SecurityRulePlan {
    readonly name: string;
    readonly priority: number;
    readonly direction: "Inbound";
    readonly access: "Allow" | "Deny";
    readonly protocol: "*";
    readonly sourceAddressPrefix: string;
    readonly sourcePortRange: "*";
    readonly destinationAddressPrefix: string;
    readonly destinationPortRange: "*";
    readonly description: string;
}

const rule = (name: string, priority: number, access: "Allow" | "Deny", source: string, destination: string, description: string): SecurityRulePlan => ({
    name, priority, direction: "Inbound", access, protocol: "*", sourceAddressPrefix: source, sourcePortRange: "*", destinationAddressPrefix: destination, destinationPortRange: "*", description,
});

/** The inbound rules for a node subnet and pod CIDR. */
export function nodeSubnetSecurityRules(nodeSubnetCidr: string, podCidr: string): SecurityRulePlan[] {
    return [
        rule("allow-node-to-node", 100, "Allow", nodeSubnetCidr, nodeSubnetCidr, "Overlay: node-to-node communication"),
        rule("allow-node-to-pod", 110, "Allow", nodeSubnetCidr, podCidr, "Overlay: service traffic routing"),
        rule("allow-pod-to-pod", 120, "Allow", podCidr, podCidr, "Overlay: pod-to-pod and pod-to-service traffic, including DNS"),
        rule("allow-load-balancer-probes", 130, "Allow", "AzureLoadBalancer", "*", "Azure load balancer health probes"),
        rule("deny-internet-inbound", 4000, "Deny", "Internet", "*", "Nothing from the internet reaches the nodes or pods directly"),
    ];
}

/** NSG log categories (Azure Monitor, "Supported logs for Microsoft.Network/networkSecurityGroups"); they land in AzureDiagnostics. */
export const NSG_LOG_CATEGORIES = ["NetworkSecurityGroupEvent", "NetworkSecurityGroupRuleCounter"] as const;
