/**
 * What reaches the Log Analytics workspace, as data: the Container Insights data collection rule, and the tables
 * that rule and the diagnostic settings fill. The runbook's KQL is tested against these tables and columns.
 *
 * Sources (read 2026-12-01):
 * - Azure Monitor docs, "Configure data collection in Container insights using data collection rule" and
 *   "Syslog collection with Container Insights": with managed-identity auth (`useAADAuth`), the agent collects
 *   only what a DCR associated with the cluster names; the az CLI creates `MSCI-<region>-<cluster>`, ARM does not.
 *   Syslog needs a `syslog` data source in that DCR and host port 28330 free on the nodes (the agent's default).
 * - mspnp/aks-baseline `workload-team/cluster-stamp.bicep`: the same DCR shape (ContainerInsights extension with
 *   explicit streams, a syslog source, one Log Analytics destination) and its association.
 * - Azure Monitor docs, "Data collection rule structure": a `Microsoft-<Table>` stream lands in table `<Table>`.
 */

/** Container Insights streams (the tables of the "Group-Default" set, named one by one as aks-baseline does). */
export const CONTAINER_INSIGHTS_STREAMS = [
    "Microsoft-ContainerInventory",
    "Microsoft-ContainerLogV2",
    "Microsoft-ContainerNodeInventory",
    "Microsoft-InsightsMetrics",
    "Microsoft-KubeEvents",
    "Microsoft-KubeMonAgentEvents",
    "Microsoft-KubeNodeInventory",
    "Microsoft-KubePodInventory",
    "Microsoft-KubePVInventory",
    "Microsoft-KubeServices",
    "Microsoft-Perf",
] as const;

/** The node syslog stream. */
export const SYSLOG_STREAM = "Microsoft-Syslog";

/**
 * Calico's `Log` action writes `calico-packet:` lines through the kernel (an iptables LOG rule), so facility
 * `kern` carries them, at severity Notice: Felix renders `--jump LOG --log-prefix "<prefix>: " --log-level 5`
 * (projectcalico/calico felix/iptables/actions.go, LogAction). Info and above includes it.
 */
export const SYSLOG_FACILITIES = ["kern"] as const;
export const SYSLOG_LOG_LEVELS = ["Info", "Notice", "Warning", "Error", "Critical", "Alert", "Emergency"] as const;

/** The name of the Log Analytics destination inside the DCR. */
const WORKSPACE_DESTINATION = "workspace";

/** The Container Insights DCR's body, in the shape azure-native's monitor.DataCollectionRule takes. */
export function containerInsightsDataCollection<Id>(workspaceResourceId: Id) {
    return {
        kind: "Linux",
        dataSources: {
            syslog: [{ name: "calico-kernel-log", streams: [SYSLOG_STREAM], facilityNames: [...SYSLOG_FACILITIES], logLevels: [...SYSLOG_LOG_LEVELS] }],
            extensions: [{
                name: "ContainerInsightsExtension",
                extensionName: "ContainerInsights",
                streams: [...CONTAINER_INSIGHTS_STREAMS],
                extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
            }],
        },
        destinations: { logAnalytics: [{ name: WORKSPACE_DESTINATION, workspaceResourceId }] },
        dataFlows: [
            { streams: [...CONTAINER_INSIGHTS_STREAMS], destinations: [WORKSPACE_DESTINATION] },
            { streams: [SYSLOG_STREAM], destinations: [WORKSPACE_DESTINATION] },
        ],
    };
}

/** The table a DCR stream lands in: `Microsoft-Syslog` -> `Syslog`. */
export function tableOfStream(stream: string): string {
    return stream.replace(/^Microsoft-/, "");
}

/**
 * The resource-specific ("Dedicated") table of a diagnostic log category (Azure Monitor, "Supported logs for
 * Microsoft.Network/azureFirewalls" and "for Microsoft.ContainerService/managedClusters").
 */
export function tableOfDiagnosticCategory(category: string): string {
    // The one firewall category not named after its table: AZFWFqdnResolveFailure lands in
    // AZFWInternalFqdnResolutionFailure (Azure Monitor Logs table reference, "AZFWInternalFqdnResolutionFailure":
    // "internal Firewall FQDN resolution requests that resulted in failure"; there is no AZFWFqdnResolveFailure table).
    if (category === "AZFWFqdnResolveFailure") return "AZFWInternalFqdnResolutionFailure";
    if (category.startsWith("AZFW")) return category;
    // NSG categories have no resource-specific table (Azure Monitor, "Supported logs for networkSecurityGroups").
    if (category.startsWith("NetworkSecurityGroup")) return "AzureDiagnostics";
    if (category === "kube-audit-admin") return "AKSAuditAdmin";
    if (category === "kube-audit") return "AKSAudit";
    return "AKSControlPlane";
}

/**
 * Columns of the tables the runbook queries (Azure Monitor Logs table reference, one page per table; checked
 * 2026-12-01 against MicrosoftDocs/azure-reference-other azure-monitor-ref/tables/includes/<table>-include.md,
 * commit 161a4d9, the last before those pages moved).
 * Only what is listed here may appear in the runbook's queries.
 */
export const TABLE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
    Syslog: ["TimeGenerated", "Computer", "HostName", "HostIP", "Facility", "SeverityLevel", "SyslogMessage", "ProcessName", "ProcessID", "EventTime", "_ResourceId"],
    KubePodInventory: ["TimeGenerated", "Computer", "ClusterName", "ClusterId", "Namespace", "Name", "PodIp", "PodUid", "PodStatus", "PodLabel", "ControllerName", "ControllerKind", "ContainerName", "ServiceName", "_ResourceId"],
    KubeNodeInventory: ["TimeGenerated", "Computer", "ClusterName", "ClusterId", "Status", "KubeletVersion", "Labels", "_ResourceId"],
    ContainerLogV2: ["TimeGenerated", "Computer", "PodNamespace", "PodName", "ContainerName", "LogMessage", "LogSource", "_ResourceId"],
    KubeEvents: ["TimeGenerated", "Computer", "ClusterName", "Namespace", "Name", "ObjectKind", "Reason", "Message", "KubeEventType", "_ResourceId"],
    AZFWApplicationRule: ["TimeGenerated", "Protocol", "SourceIp", "SourcePort", "DestinationPort", "Fqdn", "TargetUrl", "Action", "Policy", "RuleCollectionGroup", "RuleCollection", "Rule", "ActionReason", "IsTlsInspected", "WebCategory", "IsExplicitProxyRequest", "_ResourceId"],
    AZFWNetworkRule: ["TimeGenerated", "Protocol", "SourceIp", "SourcePort", "DestinationIp", "DestinationPort", "Action", "Policy", "RuleCollectionGroup", "RuleCollection", "Rule", "ActionReason", "_ResourceId"],
    AZFWNatRule: ["TimeGenerated", "Protocol", "SourceIp", "SourcePort", "DestinationIp", "DestinationPort", "TranslatedIp", "TranslatedPort", "Policy", "RuleCollectionGroup", "RuleCollection", "Rule", "_ResourceId"],
    AZFWThreatIntel: ["TimeGenerated", "Protocol", "SourceIp", "SourcePort", "DestinationIp", "DestinationPort", "Fqdn", "TargetUrl", "Action", "ThreatDescription", "IsTlsInspected", "_ResourceId"],
    AZFWIdpsSignature: ["TimeGenerated", "Protocol", "SourceIp", "SourcePort", "DestinationIp", "DestinationPort", "Action", "SignatureId", "Category", "Description", "Severity", "_ResourceId"],
    AZFWDnsQuery: ["TimeGenerated", "SourceIp", "SourcePort", "QueryId", "QueryType", "QueryClass", "QueryName", "Protocol", "RequestSize", "ResponseCode", "ResponseFlags", "ResponseSize", "RequestDurationSecs", "ErrorNumber", "ErrorMessage", "_ResourceId"],
    AZFWInternalFqdnResolutionFailure: ["TimeGenerated", "ServerIp", "ServerPort", "Fqdn", "Error", "Policy", "RuleCollectionGroup", "RuleCollection", "Rule", "_ResourceId"],
    AKSAuditAdmin: ["TimeGenerated", "Level", "AuditId", "Stage", "RequestUri", "Verb", "User", "SourceIps", "UserAgent", "ObjectRef", "ResponseStatus", "RequestObject", "ResponseObject", "_ResourceId"],
    AKSControlPlane: ["TimeGenerated", "Category", "Level", "Message", "PodName", "_ResourceId"],
};
