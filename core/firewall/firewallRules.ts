import type { StackConfig } from "../config";
import type { SegmentationIntent } from "../intent";

/** The owner name of the cluster-wide allowlist (`aks-zero-trust:egress.fqdns`) in the firewall's rule names. */
export const CLUSTER_OWNER = "cluster";

/** A firewall application rule (layer 7, by host name or FQDN tag). */
export interface ApplicationRule {
    readonly ruleType: "ApplicationRule";
    readonly name: string;
    readonly sourceAddresses: readonly string[];
    readonly protocols: ReadonlyArray<{ readonly protocolType: "Http" | "Https"; readonly port: number }>;
    readonly targetFqdns?: readonly string[];
    readonly fqdnTags?: readonly string[];
}

/** A firewall network rule (layer 4, by address, service tag or FQDN). */
export interface NetworkRule {
    readonly ruleType: "NetworkRule";
    readonly name: string;
    readonly sourceAddresses: readonly string[];
    readonly ipProtocols: ReadonlyArray<"TCP" | "UDP">;
    readonly destinationPorts: readonly string[];
    readonly destinationAddresses?: readonly string[];
    readonly destinationFqdns?: readonly string[];
}

/** An Allow rule collection, in the shape azure-native's FirewallPolicyRuleCollectionGroup takes. */
export interface FilterRuleCollection {
    readonly ruleCollectionType: "FirewallPolicyFilterRuleCollection";
    readonly name: string;
    readonly priority: number;
    readonly action: { readonly type: "Allow" };
    readonly rules: ReadonlyArray<ApplicationRule | NetworkRule>;
}

/** A rule collection group on the firewall policy. */
export interface RuleCollectionGroupPlan {
    readonly name: string;
    readonly priority: number;
    readonly ruleCollections: readonly FilterRuleCollection[];
}

/** One workload's (or the cluster's) internet allowlist, for the firewall. */
export interface FqdnAllowance {
    /** Who needs it: `cluster` or `namespace-workload`. */
    readonly owner: string;
    readonly fqdn: string;
    readonly protocol: "Http" | "Https";
    readonly ports: readonly number[];
}

/**
 * Azure Monitor add-on endpoints (AKS docs, "Outbound network and FQDN rules for AKS clusters",
 * Azure Monitor section).
 */
function azureMonitorFqdns(region: string): string[] {
    return [
        "*.ingest.monitor.azure.com",
        "*.metrics.ingest.monitor.azure.com",
        "*.monitoring.azure.com",
        "*.ods.opinsights.azure.com",
        "*.oms.opinsights.azure.com",
        "dc.services.visualstudio.com",
        "global.handler.control.monitor.azure.com",
        `${region}.handler.control.monitor.azure.com`,
    ];
}

/**
 * Azure Policy add-on endpoints (same doc, Azure Policy section). The add-on sends its own telemetry to
 * dc.services.visualstudio.com, so it is listed here too and does not depend on the monitoring add-on being on.
 */
const AZURE_POLICY_FQDNS = ["data.policy.core.windows.net", "dc.services.visualstudio.com", "store.policy.core.windows.net"];

/** One workload's (or infrastructure namespace's) allowed address range outside the VNet, for the firewall. */
export interface CidrAllowance {
    /** Who needs it: `namespace-workload` or `infra-namespace`. */
    readonly owner: string;
    readonly cidr: string;
    readonly ports: ReadonlyArray<{ readonly protocol: "TCP" | "UDP" | "SCTP"; readonly port: number; readonly endPort?: number }>;
}

/** Rule collection group priorities: AKS's own needs first, then workloads, then the API server (known after the cluster). */
export const AKS_REQUIRED_GROUP_PRIORITY = 200;
export const WORKLOAD_GROUP_PRIORITY = 300;
export const API_SERVER_GROUP_PRIORITY = 400;
/** Name of the group that lets pods reach the cluster's public API server. */
export const API_SERVER_GROUP_NAME = "aks-apiserver";

/**
 * The firewall rule collection groups for a stack, in the order they must be created.
 * Sources are the node subnet: with overlay, pod traffic leaves the node SNATed to the node IP.
 */
export function planFirewallRules(config: StackConfig, workloadFqdns: readonly FqdnAllowance[], workloadCidrs: readonly CidrAllowance[] = []): RuleCollectionGroupPlan[] {
    const groups = [aksRequiredGroup(config)];
    const workloadGroup = workloadEgressGroup(config, workloadFqdns, workloadCidrs);
    if (workloadGroup) {
        groups.push(workloadGroup);
    }
    return groups;
}

function aksRequiredGroup(config: StackConfig): RuleCollectionGroupPlan {
    const source = [config.network.nodeSubnetCidr];
    // AKS docs, "Outbound network and FQDN rules for AKS clusters": UDP 1194 and TCP 9000 to AzureCloud.<region> are
    // not needed for clusters with konnectivity-agent (every current AKS version), and TCP 443 to the API server's
    // IP only for pods that call the API server: that rule is `apiServerEgressGroup`, to the cluster's own FQDN.
    // Nodes reach the API server (`*.hcp.<region>.azmk8s.io`) through the AzureKubernetesService FQDN tag.
    const networkRules: NetworkRule[] = [
        // FQDNs in network rules need the firewall's DNS proxy, which the policy turns on.
        { ruleType: "NetworkRule", name: "aks-ntp", sourceAddresses: source, ipProtocols: ["UDP"], destinationPorts: ["123"], destinationFqdns: ["ntp.ubuntu.com"] },
    ];
    if (config.cluster.monitoringAddon) {
        networkRules.push({ ruleType: "NetworkRule", name: "azure-monitor-tcp-443", sourceAddresses: source, ipProtocols: ["TCP"], destinationPorts: ["443"], destinationAddresses: ["AzureMonitor"] });
    }
    const https = [{ protocolType: "Https" as const, port: 443 }];
    const applicationRules: ApplicationRule[] = [
        // The FQDN tag is kept current by Azure with every endpoint AKS nodes need.
        { ruleType: "ApplicationRule", name: "aks-fqdn-tag", sourceAddresses: source, protocols: [{ protocolType: "Http", port: 80 }, ...https], fqdnTags: ["AzureKubernetesService"] },
    ];
    if (config.cluster.monitoringAddon) {
        applicationRules.push({ ruleType: "ApplicationRule", name: "azure-monitor-addon", sourceAddresses: source, protocols: https, targetFqdns: azureMonitorFqdns(config.location) });
    }
    if (config.cluster.azurePolicyAddon) {
        applicationRules.push({ ruleType: "ApplicationRule", name: "azure-policy-addon", sourceAddresses: source, protocols: https, targetFqdns: AZURE_POLICY_FQDNS });
    }
    return {
        name: "aks-required",
        priority: AKS_REQUIRED_GROUP_PRIORITY,
        ruleCollections: [
            { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "aks-network", priority: 100, action: { type: "Allow" }, rules: networkRules },
            { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "aks-application", priority: 200, action: { type: "Allow" }, rules: applicationRules },
        ],
    };
}

/** Whether any workload, infrastructure namespace or peer of the intent calls the Kubernetes API. */
export function intentCallsKubernetesApi(intent: SegmentationIntent | undefined): boolean {
    if (!intent) return false;
    // A peer's `egress.kubernetesApi` opens the API server in its Calico policy just as a workload's does, and its
    // packets leave through the same firewall.
    return intent.namespaces.some((namespace) => namespace.workloads.some((workload) => workload.egress.kubernetesApi))
        || intent.infrastructure.some((infra) => infra.egress.kubernetesApi)
        || intent.peers.some((peer) => peer.egress.kubernetesApi);
}

/**
 * Pods that call the Kubernetes API reach a public API server at its public IP: the `kubernetes` service's
 * endpoint is that address, and overlay SNATs the packet to the node. AKS's egress docs ask for TCP 443 to the
 * API server's address; a network rule to the cluster's own FQDN gives exactly that, resolved through the
 * firewall's DNS proxy, and follows the address if AKS moves it. A private cluster's API server is a private
 * endpoint inside the VNet, which the VNet's own route reaches without the firewall: no rule then.
 * The FQDN is known only once the cluster exists, so this group is created after it, last in the chain.
 */
export function apiServerEgressGroup(config: StackConfig, apiServerFqdn: string): RuleCollectionGroupPlan {
    return {
        name: API_SERVER_GROUP_NAME,
        priority: API_SERVER_GROUP_PRIORITY,
        ruleCollections: [{
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            name: "aks-apiserver",
            priority: 100,
            action: { type: "Allow" },
            rules: [{ ruleType: "NetworkRule", name: "kubernetes-api-clients", sourceAddresses: [config.network.nodeSubnetCidr], ipProtocols: ["TCP"], destinationPorts: ["443"], destinationFqdns: [apiServerFqdn] }],
        }],
    };
}

/** Whether the stack needs `apiServerEgressGroup`: a workload asks for the API, and the API server is public. */
export function needsApiServerEgressGroup(config: StackConfig): boolean {
    return !config.cluster.apiServer.privateCluster && intentCallsKubernetesApi(config.segmentation);
}

function workloadEgressGroup(config: StackConfig, workloadFqdns: readonly FqdnAllowance[], workloadCidrs: readonly CidrAllowance[]): RuleCollectionGroupPlan | undefined {
    const allowances: FqdnAllowance[] = [
        ...config.egress.fqdns.map((rule) => ({ owner: CLUSTER_OWNER, fqdn: rule.fqdn, protocol: rule.protocol, ports: rule.ports })),
        ...workloadFqdns,
    ];
    const collections: FilterRuleCollection[] = [];
    if (allowances.length > 0) {
        collections.push({ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "workload-fqdns", priority: 100, action: { type: "Allow" }, rules: fqdnRules(config, allowances) });
    }
    const cidrRules = addressRules(config, workloadCidrs);
    if (cidrRules.length > 0) {
        collections.push({ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "workload-addresses", priority: 200, action: { type: "Allow" }, rules: cidrRules });
    }
    return collections.length === 0 ? undefined : { name: "workload-egress", priority: WORKLOAD_GROUP_PRIORITY, ruleCollections: collections };
}

/** Network rules for address ranges outside the VNet, one per owner and protocol (the firewall has no SCTP). */
function addressRules(config: StackConfig, allowances: readonly CidrAllowance[]): NetworkRule[] {
    const byRule = new Map<string, { owner: string; protocol: "TCP" | "UDP"; cidrs: Set<string>; ports: Set<string> }>();
    for (const allowance of allowances) {
        for (const port of allowance.ports) {
            if (port.protocol === "SCTP") continue;
            const key = `${allowance.owner} ${port.protocol}`;
            const entry = byRule.get(key) ?? { owner: allowance.owner, protocol: port.protocol, cidrs: new Set<string>(), ports: new Set<string>() };
            entry.cidrs.add(allowance.cidr);
            entry.ports.add(port.endPort !== undefined ? `${port.port}-${port.endPort}` : String(port.port));
            byRule.set(key, entry);
        }
    }
    return [...byRule.values()]
        .sort((a, b) => a.owner.localeCompare(b.owner) || a.protocol.localeCompare(b.protocol))
        .map((entry) => ({
            ruleType: "NetworkRule" as const,
            name: `${entry.owner}-${entry.protocol.toLowerCase()}`,
            sourceAddresses: [config.network.nodeSubnetCidr],
            ipProtocols: [entry.protocol],
            destinationPorts: [...entry.ports].sort((a, b) => parseInt(a, 10) - parseInt(b, 10)),
            destinationAddresses: [...entry.cidrs].sort(),
        }));
}

function fqdnRules(config: StackConfig, allowances: readonly FqdnAllowance[]): ApplicationRule[] {
    // One rule per owner and protocol/port signature, so the rule name says who needs the FQDNs.
    const byRule = new Map<string, { owner: string; protocol: "Http" | "Https"; ports: readonly number[]; fqdns: Set<string> }>();
    for (const allowance of allowances) {
        const signature = `${allowance.protocol}-${allowance.ports.join("-")}`;
        const key = `${allowance.owner} ${signature}`;
        const entry = byRule.get(key) ?? { owner: allowance.owner, protocol: allowance.protocol, ports: allowance.ports, fqdns: new Set<string>() };
        entry.fqdns.add(allowance.fqdn);
        byRule.set(key, entry);
    }
    const entries = [...byRule.values()].sort((a, b) => a.owner.localeCompare(b.owner) || a.protocol.localeCompare(b.protocol) || a.ports.join().localeCompare(b.ports.join()));
    const perOwner = new Map<string, number>();
    entries.forEach((entry) => perOwner.set(entry.owner, (perOwner.get(entry.owner) ?? 0) + 1));
    return entries.map((entry) => ({
        ruleType: "ApplicationRule",
        name: perOwner.get(entry.owner)! > 1 ? `${entry.owner}-${entry.protocol.toLowerCase()}-${entry.ports.join("-")}` : entry.owner,
        sourceAddresses: [config.network.nodeSubnetCidr],
        protocols: entry.ports.map((port) => ({ protocolType: entry.protocol, port })),
        targetFqdns: [...entry.fqdns].sort(),
    }));
}
