import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as monitor from "@pulumi/azure-native/monitor";
import type { RuleCollectionGroupPlan } from "../core/firewall";

/** Arguments of the egress firewall. */
export interface EgressFirewallArgs {
    /** Resource group for the firewall and its policy. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure region. */
    readonly location: string;
    /** Azure name of the firewall. */
    readonly firewallName: string;
    /** Azure name of the firewall policy. */
    readonly policyName: string;
    /** Azure names of the frontend public IPs, one per IP. */
    readonly publicIpNames: readonly string[];
    /** Azure name of the management public IP (Basic SKU only). */
    readonly managementPublicIpName: string;
    /** SKU tier: Basic, Standard or Premium. */
    readonly tier: "Basic" | "Standard" | "Premium";
    /** Threat intelligence mode. */
    readonly threatIntelMode: "Off" | "Alert" | "Deny";
    /** IDPS mode; applies to Premium only. */
    readonly idpsMode?: "Off" | "Alert" | "Deny";
    /** Availability zones for the firewall and its IPs. */
    readonly zones: readonly string[];
    /** `AzureFirewallSubnet`. */
    readonly subnetId: pulumi.Input<string>;
    /** The private IP the VNet's DNS settings already point at; the firewall must get exactly this one. */
    readonly expectedPrivateIp: string;
    /** `AzureFirewallManagementSubnet` (Basic SKU). */
    readonly managementSubnetId?: pulumi.Input<string>;
    /** Rule collection groups, in creation order. */
    readonly ruleCollectionGroups: readonly RuleCollectionGroupPlan[];
    /** Log Analytics workspace for the firewall's logs and metrics. */
    readonly workspaceId: pulumi.Input<string>;
    /** Protect the firewall from deletion. */
    readonly protect: boolean;
    /** Tags for every resource. */
    readonly tags: Record<string, string>;
}

/**
 * Resource-specific firewall log categories (Azure Firewall docs, "Azure Firewall monitoring data reference").
 * Denied north-south flows show up in AZFWNetworkRule / AZFWApplicationRule.
 */
export const FIREWALL_LOG_CATEGORIES = [
    "AZFWApplicationRule",
    "AZFWDnsQuery",
    "AZFWFqdnResolveFailure",
    "AZFWIdpsSignature",
    "AZFWNatRule",
    "AZFWNetworkRule",
    "AZFWThreatIntel",
] as const;

/**
 * The Azure Firewall that is the cluster's only way to the internet: public IPs, a policy with DNS proxy,
 * threat intelligence (and IDPS on Premium), the rule collection groups, and diagnostics.
 */
export class EgressFirewall extends pulumi.ComponentResource {
    /** The firewall. */
    public readonly firewall: network.AzureFirewall;
    /** The firewall policy. */
    public readonly policy: network.FirewallPolicy;
    /** Rule collection groups, in creation order. */
    public readonly ruleCollectionGroups: network.FirewallPolicyRuleCollectionGroup[];
    /** Frontend public IPs. */
    public readonly publicIps: network.PublicIPAddress[];
    /** The firewall's private IP: the next hop of the node subnet's default route. */
    public readonly privateIp: pulumi.Output<string>;
    /** The frontend public IP addresses. */
    public readonly publicIpAddresses: pulumi.Output<string>[];
    private readonly resourceGroupName: pulumi.Input<string>;
    private readonly componentName: string;

    constructor(name: string, args: EgressFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aks-zero-trust:firewall:EgressFirewall", name, {}, opts);
        const zones = args.zones.length > 0 ? [...args.zones] : undefined;
        this.resourceGroupName = args.resourceGroupName;
        this.componentName = name;

        this.publicIps = args.publicIpNames.map((ipName, index) => createPublicIp(`${name}-pip-${String(index + 1).padStart(2, "0")}`, ipName, args, zones, this));
        this.policy = createPolicy(name, args, this);
        this.ruleCollectionGroups = createRuleCollectionGroups(name, args, this.policy, this);

        const managementIp = args.tier === "Basic" ? createPublicIp(`${name}-pip-mgmt`, args.managementPublicIpName, args, zones, this) : undefined;
        this.firewall = new network.AzureFirewall(`${name}-firewall`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            azureFirewallName: args.firewallName,
            sku: { name: "AZFW_VNet", tier: args.tier },
            firewallPolicy: { id: this.policy.id },
            zones,
            // Only the first IP configuration carries the subnet (Azure Firewall ARM reference).
            ipConfigurations: this.publicIps.map((ip, index) => ({
                name: `ipconfig-${String(index + 1).padStart(2, "0")}`,
                publicIPAddress: { id: ip.id },
                subnet: index === 0 ? { id: args.subnetId } : undefined,
            })),
            managementIpConfiguration: managementIp && args.managementSubnetId
                ? { name: "management", publicIPAddress: { id: managementIp.id }, subnet: { id: args.managementSubnetId } }
                : undefined,
            tags: args.tags,
        }, {
            parent: this,
            protect: args.protect,
            // Policy updates while the firewall is being written fail with AnotherOperationInProgress (aks-baseline does the same).
            dependsOn: this.ruleCollectionGroups,
        });

        this.privateIp = this.firewall.ipConfigurations.apply((configurations) => {
            const address = configurations?.[0]?.privateIPAddress;
            if (!address) {
                throw new Error(`firewall ${args.firewallName} reported no private IP address`);
            }
            if (address !== args.expectedPrivateIp) {
                throw new Error(`firewall ${args.firewallName} got private IP ${address}, but the VNet's DNS points at ${args.expectedPrivateIp}; is something else using AzureFirewallSubnet?`);
            }
            return address;
        });
        this.publicIpAddresses = this.publicIps.map((ip) => ip.ipAddress.apply((address) => address ?? ""));

        new monitor.DiagnosticSetting(`${name}-diagnostics`, {
            name: "to-log-analytics",
            resourceUri: this.firewall.id,
            workspaceId: args.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: FIREWALL_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            metrics: [{ category: "AllMetrics", enabled: true }],
        }, { parent: this });

        this.registerOutputs({ firewallId: this.firewall.id, privateIp: this.privateIp });
    }

    /**
     * Adds a rule collection group whose rules are known only once other resources exist (the API server's FQDN).
     * It waits for the firewall, the last group and `after`, so no two writes hit the policy at once.
     */
    addRuleCollectionGroupAfter(groupName: string, priority: number, plan: pulumi.Output<RuleCollectionGroupPlan>, after: pulumi.Resource[]): network.FirewallPolicyRuleCollectionGroup {
        const previous = this.ruleCollectionGroups[this.ruleCollectionGroups.length - 1];
        const group = new network.FirewallPolicyRuleCollectionGroup(`${this.componentName}-rcg-${groupName}`, {
            resourceGroupName: this.resourceGroupName,
            firewallPolicyName: this.policy.name,
            ruleCollectionGroupName: groupName,
            priority,
            ruleCollections: plan.apply((planned) => toRuleCollections(planned) as pulumi.Unwrap<network.FirewallPolicyRuleCollectionGroupArgs["ruleCollections"]>),
        }, { parent: this, dependsOn: [this.firewall, ...(previous ? [previous] : []), ...after] });
        this.ruleCollectionGroups.push(group);
        return group;
    }

}

function createPublicIp(resourceName: string, ipName: string, args: EgressFirewallArgs, zones: string[] | undefined, parent: pulumi.Resource): network.PublicIPAddress {
    return new network.PublicIPAddress(resourceName, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publicIpAddressName: ipName,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        zones,
        tags: args.tags,
    }, { parent });
}

function createPolicy(name: string, args: EgressFirewallArgs, parent: pulumi.Resource): network.FirewallPolicy {
    return new network.FirewallPolicy(`${name}-policy`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        firewallPolicyName: args.policyName,
        sku: { tier: args.tier },
        threatIntelMode: args.threatIntelMode,
        // DNS proxy is required for FQDNs in network rules, and nodes use the firewall as DNS server.
        dnsSettings: { enableProxy: true },
        intrusionDetection: args.tier === "Premium" ? { mode: args.idpsMode ?? "Deny" } : undefined,
        tags: args.tags,
    }, { parent, protect: args.protect });
}

/** Groups on one policy cannot be written concurrently, so each waits for the previous one. */
function createRuleCollectionGroups(name: string, args: EgressFirewallArgs, policy: network.FirewallPolicy, parent: pulumi.Resource): network.FirewallPolicyRuleCollectionGroup[] {
    const groups: network.FirewallPolicyRuleCollectionGroup[] = [];
    for (const plan of args.ruleCollectionGroups) {
        const previous = groups[groups.length - 1];
        groups.push(new network.FirewallPolicyRuleCollectionGroup(`${name}-rcg-${plan.name}`, {
            resourceGroupName: args.resourceGroupName,
            firewallPolicyName: policy.name,
            ruleCollectionGroupName: plan.name,
            priority: plan.priority,
            ruleCollections: toRuleCollections(plan),
        }, { parent, dependsOn: previous ? [previous] : [] }));
    }
    return groups;
}

function toRuleCollections(plan: RuleCollectionGroupPlan): network.FirewallPolicyRuleCollectionGroupArgs["ruleCollections"] {
    return plan.ruleCollections.map((collection) => ({
        ...collection,
        rules: collection.rules.map((rule) => ({ ...rule })),
    })) as network.FirewallPolicyRuleCollectionGroupArgs["ruleCollections"];
}
