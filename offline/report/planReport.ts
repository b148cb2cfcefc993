import type { CapturedResource, MockRun } from "../runtime";
import { resourceKey } from "../runtime";

/** The JSON form of the offline plan. */
export interface PlanJson {
    readonly stack: string;
    readonly resources: ReadonlyArray<{ type: string; name: string; parent: string | null; inputs: Record<string, unknown> }>;
    readonly summary: PlanSummary;
}

/** Resource counts of a plan. */
export interface PlanSummary {
    readonly total: number;
    readonly protected: number;
    readonly byType: Record<string, number>;
}

const ROLE_NAMES: Record<string, string> = {
    "4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
    "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
};

/** Counts the resources that would be created (components excluded: they have no cloud object). */
export function summarise(resources: readonly CapturedResource[]): PlanSummary {
    const real = resources.filter((resource) => !resource.component);
    const byType: Record<string, number> = {};
    for (const resource of real) {
        byType[resource.type] = (byType[resource.type] ?? 0) + 1;
    }
    const sorted = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
    return { total: real.length, protected: real.filter((resource) => resource.protect).length, byType: sorted };
}

/** The plan as JSON data: every resource with its type, name, parent and inputs. */
export function planJson(run: MockRun): PlanJson {
    return {
        stack: run.stack,
        resources: run.resources.map((resource) => ({
            type: resource.type,
            name: resource.name,
            parent: resource.parent ?? null,
            inputs: resource.inputs,
        })),
        summary: summarise(run.resources),
    };
}

/** The width the resource tree keeps to (a 120-column terminal); longer settings wrap below their resource. */
export const TREE_WIDTH = 120;

/** More route prefixes than this per next hop are summarised in the tree (the JSON has them all). */
const ROUTES_SHOWN_PER_HOP = 3;

/** "1 rule", "2 rules". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
    return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Splits "a, b; c" after its separators into lines of at most `width` characters (a longer part stays whole). */
export function wrapParts(text: string, width: number, separators = ",;"): string[] {
    const escaped = separators.replace(/[\]\\^-]/g, "\\$&");
    const parts = text.match(new RegExp(`[^${escaped}]+(?:[${escaped}]\\s*|$)`, "g")) ?? [text];
    const lines: string[] = [];
    let current = "";
    for (const part of parts) {
        if (current && (current + part).trimEnd().length > width) {
            lines.push(current.trimEnd());
            current = "";
        }
        current += part;
    }
    if (current.trim()) lines.push(current.trimEnd());
    return lines;
}

/** The plan as a tree with types, names and key settings, then a summary. */
export function planText(run: MockRun): string {
    const children = new Map<string, CapturedResource[]>();
    const roots: CapturedResource[] = [];
    for (const resource of run.resources) {
        if (resource.parent) {
            const list = children.get(resource.parent) ?? [];
            list.push(resource);
            children.set(resource.parent, list);
        } else {
            roots.push(resource);
        }
    }
    const lines = [`Offline plan of stack "${run.stack}" (Pulumi runtime mocks; no cloud calls)`, ""];
    const walk = (resource: CapturedResource, indent: string, last: boolean, top: boolean): void => {
        const branch = top ? "" : last ? "└─ " : "├─ ";
        const detail = describeResource(resource);
        const flags = resource.protect ? " [protected]" : "";
        const kids = children.get(resourceKey(resource.type, resource.name)) ?? [];
        const nextIndent = top ? indent : indent + (last ? "   " : "│  ");
        const head = `${indent}${branch}${resource.type} ${resource.name}${flags}`;
        if (!detail || head.length + detail.length + 4 <= TREE_WIDTH) {
            lines.push(`${head}${detail ? `  (${detail})` : ""}`);
        } else {
            // Too long for one line: the settings go below, wrapped, inside the tree's guide lines.
            lines.push(head);
            const guide = `${nextIndent}${kids.length > 0 ? "│  " : "   "}   `;
            lines.push(...wrapParts(detail, TREE_WIDTH - guide.length).map((line) => `${guide}${line}`));
        }
        kids.forEach((kid, index) => walk(kid, top ? "" : nextIndent, index === kids.length - 1, false));
    };
    roots.forEach((root) => walk(root, "", true, true));
    const summary = summarise(run.resources);
    lines.push("", "Summary:");
    for (const [type, count] of Object.entries(summary.byType)) {
        lines.push(`  ${String(count).padStart(3)}  ${type}`);
    }
    lines.push(`  ${summary.total} resources to create, ${summary.protected} protected`);
    return lines.join("\n");
}

/** One line of the most telling settings of a resource. */
export function describeResource(resource: CapturedResource): string {
    const inputs = resource.inputs as Record<string, any>;
    switch (resource.type) {
        case "azure-native:resources:ResourceGroup":
            return `${inputs.resourceGroupName}, ${inputs.location}`;
        case "azure-native:operationalinsights:Workspace":
            return `${inputs.workspaceName}, retention ${inputs.retentionInDays} days`;
        case "azure-native:network:VirtualNetwork":
            return `${inputs.virtualNetworkName} ${(inputs.addressSpace?.addressPrefixes ?? []).join(", ")}`;
        case "azure-native:network:Subnet":
            return `${inputs.subnetName} ${inputs.addressPrefix}${inputs.routeTable ? ", route table attached" : ""}${inputs.networkSecurityGroup ? ", NSG attached" : ""}`;
        case "azure-native:network:NetworkSecurityGroup":
            return `${inputs.networkSecurityGroupName}: ${(inputs.securityRules ?? []).map((rule: any) => `${rule.access} ${rule.sourceAddressPrefix} -> ${rule.destinationAddressPrefix}`).join("; ")}`;
        case "azure-native:monitor:DataCollectionRule": {
            const streams = (inputs.dataFlows ?? []).flatMap((flow: any) => flow.streams ?? []);
            const syslog = (inputs.dataSources?.syslog ?? []).flatMap((source: any) => source.facilityNames ?? []);
            return `${inputs.dataCollectionRuleName}: ${streams.length} streams${syslog.length > 0 ? `, syslog ${syslog.join(",")}` : ""} -> Log Analytics`;
        }
        case "azure-native:monitor:DataCollectionRuleAssociation":
            return `${inputs.associationName} on ${String(inputs.resourceUri ?? "").split("/").pop()}`;
        case "azure-native:network:RouteTable":
            return describeRoutes(inputs.routes ?? []);
        case "azure-native:network:PublicIPAddress":
            return `${inputs.publicIpAddressName}, ${inputs.sku?.name}${inputs.zones ? `, zones ${inputs.zones.join(",")}` : ""}`;
        case "azure-native:network:FirewallPolicy":
            return `${inputs.sku?.tier}, threat intel ${inputs.threatIntelMode}, DNS proxy ${inputs.dnsSettings?.enableProxy ? "on" : "off"}${inputs.intrusionDetection ? `, IDPS ${inputs.intrusionDetection.mode}` : ""}`;
        case "azure-native:network:FirewallPolicyRuleCollectionGroup": {
            const rules = (inputs.ruleCollections ?? []).reduce((sum: number, collection: any) => sum + (collection.rules?.length ?? 0), 0);
            return `priority ${inputs.priority}, ${plural(inputs.ruleCollections?.length ?? 0, "collection")}, ${plural(rules, "rule")}`;
        }
        case "azure-native:network:AzureFirewall":
            return `${inputs.azureFirewallName}, ${inputs.sku?.tier}, ${plural(inputs.ipConfigurations?.length ?? 0, "public IP")}${inputs.zones ? `, zones ${inputs.zones.join(",")}` : ""}`;
        case "azure-native:monitor:DiagnosticSetting":
            return `${inputs.logs?.length ?? 0} log categories${inputs.metrics ? " + metrics" : ""} -> Log Analytics (${inputs.logAnalyticsDestinationType ?? "AzureDiagnostics"})`;
        case "azure-native:managedidentity:UserAssignedIdentity":
            return `${inputs.resourceName}`;
        case "azure-native:authorization:RoleAssignment": {
            const roleId = String(inputs.roleDefinitionId ?? "").split("/").pop() ?? "";
            const scope = String(inputs.scope ?? "").split("/").pop();
            return `${ROLE_NAMES[roleId] ?? roleId} on ${scope}${inputs.principalType ? `, ${inputs.principalType}` : ""}`;
        }
        case "azure-native:containerservice:ManagedCluster": {
            const profile = inputs.networkProfile ?? {};
            const access = inputs.apiServerAccessProfile?.enablePrivateCluster
                ? "private API server"
                : inputs.apiServerAccessProfile?.authorizedIPRanges ? `API server limited to ${plural(inputs.apiServerAccessProfile.authorizedIPRanges.length, "range")}` : "public API server";
            // The system pool is part of the cluster resource (agentPoolProfiles), not an AgentPool of its own.
            const pools = (inputs.agentPoolProfiles ?? []).map((pool: any) => `${String(pool.mode ?? "node").toLowerCase()} pool ${describePool(pool.name, pool)}`);
            return [
                `k8s ${inputs.kubernetesVersion}`,
                `${profile.networkPlugin}/${profile.networkPluginMode}/${profile.networkPolicy}`,
                `outbound ${profile.outboundType}`,
                `pods ${profile.podCidr}`,
                `services ${profile.serviceCidr}`,
                access,
                `local accounts ${inputs.disableLocalAccounts ? "off" : "on"}`,
                ...pools,
            ].join(", ");
        }
        case "azure-native:containerservice:AgentPool":
            return describePool(inputs.agentPoolName, inputs);
        case "azure-native:containerservice:MaintenanceConfiguration": {
            const window = inputs.maintenanceWindow ?? {};
            return `${inputs.configName}: ${window.schedule?.weekly?.dayOfWeek} ${window.startTime} UTC${window.utcOffset ?? "+00:00"}, ${window.durationHours} h`;
        }
        default:
            return describeKubernetesObject(inputs);
    }
}

/** "apps Standard_D8ds_v5 3-12 nodes, zones 1,2,3" (the name is left out when it is the mode: "system"). */
function describePool(name: string, pool: Record<string, any>): string {
    const nodes = pool.minCount === pool.maxCount ? plural(pool.minCount, "node") : `${pool.minCount}-${pool.maxCount} nodes`;
    const label = name === String(pool.mode ?? "").toLowerCase() ? "" : `${name} `;
    return `${label}${pool.vmSize} ${nodes}${pool.availabilityZones ? `, zones ${pool.availabilityZones.join(",")}` : ""}${pool.orchestratorVersion ? `, k8s ${pool.orchestratorVersion}` : ""}`;
}

/** Routes grouped by next hop; a long group shows its first prefixes and a count. */
function describeRoutes(routes: ReadonlyArray<{ addressPrefix: string; nextHopType: string; nextHopIpAddress?: string }>): string {
    const groups = new Map<string, string[]>();
    for (const route of routes) {
        const hop = `${route.nextHopType}${route.nextHopIpAddress ? ` ${route.nextHopIpAddress}` : ""}`;
        groups.set(hop, [...(groups.get(hop) ?? []), route.addressPrefix]);
    }
    return [...groups].map(([hop, prefixes]) => {
        if (prefixes.length <= ROUTES_SHOWN_PER_HOP) return `${prefixes.join(", ")} -> ${hop}`;
        const more = prefixes.length - ROUTES_SHOWN_PER_HOP;
        return `${prefixes.slice(0, ROUTES_SHOWN_PER_HOP).join(", ")} and ${more} more (${plural(prefixes.length, "route")}) -> ${hop}`;
    }).join("; ");
}

/** The type already names apiVersion and kind, the logical name the object: the detail is its namespace/name. */
function describeKubernetesObject(inputs: Record<string, any>): string {
    if (typeof inputs.kind === "string" && inputs.metadata) {
        return inputs.metadata.namespace ? `${inputs.metadata.namespace}/${inputs.metadata.name}` : inputs.kind === "Namespace" ? inputs.metadata.name : "cluster-wide";
    }
    return "";
}
