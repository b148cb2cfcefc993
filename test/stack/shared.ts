import { expect } from "vitest";
import { projectConfigValues, readStackConfig } from "../../core/config";
import { appliedObjects, type MockRun } from "../../offline/runtime";
import { expectPlatformEndpointsClosed as expectGuardedPlatformEndpoints, GUARDED_PODS, guardrailOrderProblems } from "../helpers/platformEndpoints";
import { keyOf, ofType, single, stackConfig } from "../helpers/stack";

/** Promises every stack keeps, whatever its environment. */
export function expectZeroTrustBoundary(run: MockRun, calicoMode: "aks-managed" | "self-managed" = "aks-managed"): void {
    const cluster = single(run, "azure-native:containerservice:ManagedCluster");
    expect(cluster.inputs.networkProfile).toMatchObject({
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        // Self-managed Calico: AKS installs no engine; the Tigera operator installs Calico (Tigera's AKS guide).
        networkPolicy: calicoMode === "aks-managed" ? "calico" : "none",
        outboundType: "userDefinedRouting",
        loadBalancerSku: "standard",
    });

    // The node subnet routes everything to the firewall's private IP.
    const routeTable = single(run, "azure-native:network:RouteTable");
    const firewallIp = run.outputs.firewallPrivateIp.value;
    expect(routeTable.inputs.routes).toContainEqual({ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: firewallIp });
    const nodeSubnet = ofType(run, "azure-native:network:Subnet").find((subnet) => subnet.inputs.subnetName === "snet-aks-nodes")!;
    expect(nodeSubnet.inputs.routeTable).toEqual({ id: expect.stringContaining(String(routeTable.inputs.routeTableName)) });
    // BGP-learned routes must not bypass the firewall, and the subnet has no implicit internet path of its own.
    expect(routeTable.inputs.disableBgpRoutePropagation).toBe(true);
    expect(nodeSubnet.inputs.defaultOutboundAccess).toBe(false);
    expect(cluster.inputs.agentPoolProfiles).toEqual([expect.objectContaining({ vnetSubnetID: expect.stringContaining("snet-aks-nodes") })]);

    // DNS proxy on (required for FQDNs in network rules), and the VNet resolves through it.
    expect(single(run, "azure-native:network:FirewallPolicy").inputs.dnsSettings).toEqual({ enableProxy: true });
    expect(single(run, "azure-native:network:VirtualNetwork").inputs.dhcpOptions).toEqual({ dnsServers: [firewallIp] });

    // AKS-required egress.
    const groups = ofType(run, "azure-native:network:FirewallPolicyRuleCollectionGroup");
    const required = groups.find((group) => group.inputs.ruleCollectionGroupName === "aks-required")!;
    const rules = (required.inputs.ruleCollections as Array<{ rules: Array<Record<string, unknown>> }>).flatMap((collection) => collection.rules);
    expect(rules).toContainEqual(expect.objectContaining({ ruleType: "ApplicationRule", fqdnTags: ["AzureKubernetesService"] }));
    expect(rules).toContainEqual(expect.objectContaining({ targetFqdns: expect.arrayContaining(["westeurope.handler.control.monitor.azure.com", "*.ods.opinsights.azure.com"]) }));
    expect(rules).toContainEqual(expect.objectContaining({ targetFqdns: ["data.policy.core.windows.net", "dc.services.visualstudio.com", "store.policy.core.windows.net"] }));
    // No network rule to a whole region's Azure addresses: konnectivity clusters need neither 1194 nor 9000, and
    // pods reach the API server by its own FQDN (below), never AzureCloud.<region> on 443.
    expect(JSON.stringify(groups.map((group) => group.inputs))).not.toContain("AzureCloud");
    for (const rule of rules) {
        expect(rule.sourceAddresses).toEqual([expect.stringMatching(/^10\.\d+\.16\.0\/2\d$/)]);
    }

    // Rule collection groups are chained, and the firewall waits for all of them but the API server's, which
    // needs the cluster's FQDN and so comes after the firewall and the cluster.
    expect(groups.length).toBeGreaterThanOrEqual(2);
    groups.slice(1).forEach((group, index) => expect(group.dependsOn).toContain(keyOf(groups[index])));
    expect(groups[0].dependsOn).toEqual([]);
    const firewall = single(run, "azure-native:network:AzureFirewall");
    const apiServerGroup = groups.find((group) => group.inputs.ruleCollectionGroupName === "aks-apiserver")!;
    expect(groups[groups.length - 1]).toBe(apiServerGroup);
    expect(firewall.dependsOn).toEqual(expect.arrayContaining(groups.slice(0, -1).map(keyOf)));
    expect(apiServerGroup.dependsOn).toEqual(expect.arrayContaining([keyOf(firewall), keyOf(cluster)]));
    const apiServerRules = (apiServerGroup.inputs.ruleCollections as Array<{ rules: Array<Record<string, unknown>> }>).flatMap((collection) => collection.rules);
    expect(apiServerRules).toEqual([expect.objectContaining({
        ruleType: "NetworkRule", ipProtocols: ["TCP"], destinationPorts: ["443"], destinationFqdns: [expect.stringMatching(/\.hcp\.westeurope\.azmk8s\.io$/)],
    })]);

    // The cluster is created after its network grants and the egress route.
    const grants = ofType(run, "azure-native:authorization:RoleAssignment").filter((grant) => String(grant.inputs.roleDefinitionId).endsWith("4d97b98b-1d4f-4787-a291-c67834d212e7"));
    expect(grants.map((grant) => String(grant.inputs.scope).split("/").pop()).sort()).toEqual([String(routeTable.inputs.routeTableName), "snet-aks-nodes"].sort());
    expect(cluster.dependsOn).toEqual(expect.arrayContaining([...grants.map(keyOf), keyOf(routeTable), keyOf(nodeSubnet), keyOf(firewall)]));

    // Identity, Entra ID and the Kubernetes provider.
    expect(cluster.inputs.identity).toMatchObject({ type: "UserAssigned" });
    expect(cluster.inputs.aadProfile).toMatchObject({ managed: true, enableAzureRBAC: true });
    expect(cluster.inputs.agentPoolProfiles).toEqual([expect.objectContaining({ mode: "System", nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"] })]);
    expect(ofType(run, "azure-native:containerservice:AgentPool").every((pool) => pool.inputs.mode === "User")).toBe(true);
    expect(run.outputs.kubeconfig.secret).toBe(true);
    expect(String(run.outputs.kubeconfig.value)).toContain("kubelogin");
    expect(ofType(run, "pulumi:providers:kubernetes")).toHaveLength(1);

    // The node subnet has an NSG that keeps overlay traffic open, lets the load balancer probe and denies the internet.
    const nsg = single(run, "azure-native:network:NetworkSecurityGroup");
    expect(nodeSubnet.inputs.networkSecurityGroup).toEqual({ id: expect.stringContaining(String(nsg.inputs.networkSecurityGroupName)) });
    const nodeCidr = String(nodeSubnet.inputs.addressPrefix);
    const podCidr = String((cluster.inputs.networkProfile as { podCidr: string }).podCidr);
    const securityRules = nsg.inputs.securityRules as Array<Record<string, unknown>>;
    const pairs = securityRules.map((rule) => `${rule.access} ${rule.sourceAddressPrefix} -> ${rule.destinationAddressPrefix}`);
    expect(pairs).toEqual(expect.arrayContaining([
        `Allow ${nodeCidr} -> ${nodeCidr}`, `Allow ${nodeCidr} -> ${podCidr}`, `Allow ${podCidr} -> ${podCidr}`, "Allow AzureLoadBalancer -> *", "Deny Internet -> *",
    ]));
    // An NSG evaluates rules by priority, lowest first, and stops at the first match: every allow, the load balancer's
    // probes included, must come before the internet deny, and no two rules share a priority (Azure refuses that).
    const priorityOf = (pair: string) => Number(securityRules[pairs.indexOf(pair)]!.priority);
    const denyInternet = priorityOf("Deny Internet -> *");
    for (const rule of securityRules.filter((candidate) => candidate.access === "Allow")) {
        expect(Number(rule.priority), `${String(rule.name)} before deny-internet-inbound`).toBeLessThan(denyInternet);
    }
    expect(new Set(securityRules.map((rule) => rule.priority)).size).toBe(securityRules.length);
    const nsgDiagnostics = ofType(run, "azure-native:monitor:DiagnosticSetting").find((setting) => String(setting.inputs.resourceUri).includes(String(nsg.inputs.networkSecurityGroupName)))!;
    expect(nsgDiagnostics.inputs.workspaceId).toBe(run.outputs.workspaceId.value);

    // Container Insights collects: a DCR with its streams and the nodes' kern syslog to the workspace, associated with the cluster.
    const rule = single(run, "azure-native:monitor:DataCollectionRule");
    const workspace = single(run, "azure-native:operationalinsights:Workspace");
    const workspaceId = String(run.outputs.workspaceId.value);
    expect(workspaceId).toContain(String(workspace.inputs.workspaceName));
    expect(rule.inputs.destinations).toEqual({ logAnalytics: [{ name: "workspace", workspaceResourceId: workspaceId }] });
    expect(rule.inputs.dataSources).toMatchObject({
        extensions: [expect.objectContaining({ extensionName: "ContainerInsights", streams: expect.arrayContaining(["Microsoft-ContainerLogV2", "Microsoft-KubePodInventory"]) })],
        syslog: [expect.objectContaining({ streams: ["Microsoft-Syslog"], facilityNames: ["kern"] })],
    });
    // Felix logs at severity 5 (Notice): a level list without it would ship no calico-packet line.
    expect((rule.inputs.dataSources as { syslog: Array<{ logLevels: string[] }> }).syslog[0].logLevels).toContain("Notice");
    // What the az CLI creates (Container Insights docs): a Linux DCR named MSCI-<region>-<cluster>, associated as ContainerInsightsExtension.
    expect(rule.inputs.kind).toBe("Linux");
    expect(rule.inputs.dataCollectionRuleName).toBe(`MSCI-${String(cluster.inputs.location)}-${String(cluster.inputs.resourceName)}`.slice(0, 64));
    const flows = rule.inputs.dataFlows as Array<{ streams: string[]; destinations: string[] }>;
    expect(flows.flatMap((flow) => flow.streams)).toEqual(expect.arrayContaining(["Microsoft-Syslog", "Microsoft-KubePodInventory"]));
    expect(flows.every((flow) => flow.destinations.join() === "workspace")).toBe(true);
    const association = single(run, "azure-native:monitor:DataCollectionRuleAssociation");
    expect(association.inputs.associationName).toBe("ContainerInsightsExtension");
    expect(association.inputs.resourceUri).toMatch(new RegExp(`/${String(cluster.inputs.resourceName)}$`));
    expect(association.inputs.dataCollectionRuleId).toMatch(new RegExp(`/${String(rule.inputs.dataCollectionRuleName)}$`));

    // Logs go to the workspace, resource-specific tables.
    // (NSG logs have no resource-specific table: AzureDiagnostics.)
    const diagnostics = ofType(run, "azure-native:monitor:DiagnosticSetting");
    expect(diagnostics.map((setting) => setting.inputs.logAnalyticsDestinationType)).toEqual(["Dedicated", undefined, "Dedicated"]);
    expect(diagnostics.flatMap((setting) => (setting.inputs.logs as Array<{ category: string }>).map((log) => log.category))).toEqual(expect.arrayContaining(["AZFWNetworkRule", "AZFWApplicationRule", "kube-audit-admin"]));
}

/** The policy sets go to the cluster through its Kubernetes provider, namespace first, denies last. */
export function expectPolicySetsThroughClusterProvider(run: MockRun, mode: "audit" | "enforce"): void {
    const provider = single(run, "pulumi:providers:kubernetes");
    const kubernetesObjects = run.resources.filter((resource) => resource.type.startsWith("kubernetes:"));
    expect(kubernetesObjects.length).toBeGreaterThanOrEqual(9);
    for (const object of kubernetesObjects) {
        expect(object.provider, `${object.name} uses the cluster's provider`).toBe(keyOf(provider));
    }
    const namespace = single(run, "kubernetes:core/v1:Namespace");
    expect((namespace.inputs.metadata as any).labels["aks-zero-trust.io/mode"]).toBe(mode);
    const namespaced = kubernetesObjects.filter((object) => (object.inputs.metadata as any)?.namespace === "shop");
    expect(namespaced.length).toBe(7);
    for (const object of namespaced) {
        expect(object.dependsOn).toContain(keyOf(namespace));
    }
    const defaultDeny = namespaced.find((object) => (object.inputs.metadata as any).name === "default-deny-all")!;
    const allows = namespaced.filter((object) => /^(allow-|workload-)/.test((object.inputs.metadata as any).name));
    expect(defaultDeny.dependsOn).toEqual(expect.arrayContaining(allows.map(keyOf)));
    // Created after, deleted before the denied-flow logger: audit never enforces silently.
    const logDenied = namespaced.find((object) => (object.inputs.metadata as any).name === "log-denied")!;
    expect(defaultDeny.dependsOn).toContain(keyOf(logDenied));
    expect(logDenied.dependsOn).not.toContain(keyOf(defaultDeny));
    // The cluster baseline comes after every allowance it would otherwise cut off (peers, infrastructure).
    const globals = kubernetesObjects.filter((object) => object.type.endsWith(":GlobalNetworkPolicy"));
    const baseline = globals.find((object) => (object.inputs.metadata as any).name === "zero-trust-baseline")!;
    const allowances = globals.filter((object) => object !== baseline);
    expect(allowances.map((object) => (object.inputs.metadata as any).name)).toContain("peer-ingress-nginx");
    expect(baseline.dependsOn).toEqual(expect.arrayContaining(allowances.map(keyOf)));
    const groups = ofType(run, "azure-native:network:FirewallPolicyRuleCollectionGroup");
    expect(JSON.stringify(groups.find((group) => group.inputs.ruleCollectionGroupName === "workload-egress")!.inputs)).toContain('"targetFqdns":["api.stripe.com"]');
}

/**
 * The ADR's breach path, closed in every mode, in the objects the program applies: the guardrail comes first in
 * Felix's order, and no pod outside the system namespaces reaches IMDS (169.254.169.254:80) or WireServer
 * (168.63.129.16:80 and 32526). Semantics and sources: test/helpers/platformEndpoints.ts.
 */
export function expectPlatformEndpointsClosed(run: MockRun, stack: "dev" | "prod"): void {
    const config = readStackConfig(projectConfigValues(stackConfig(stack)), stack);
    const applied = appliedObjects(run);
    const guarded = [...new Set(GUARDED_PODS.map((pod) => pod.split("/")[0]!))];
    expect(guardrailOrderProblems(applied, guarded, config.exemptNamespaces)).toEqual([]);
    expectGuardedPlatformEndpoints(applied, config.segmentation!);
}

/** Host networking is kept out: PSA labels on the declared namespace, and Azure Policy's built-in deny cluster-wide. */
export function expectHostNetworkKeptOut(run: MockRun): void {
    const namespace = single(run, "kubernetes:core/v1:Namespace");
    expect((namespace.inputs.metadata as any).labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    const assignment = single(run, "azure-native:authorization:PolicyAssignment");
    const cluster = single(run, "azure-native:containerservice:ManagedCluster");
    // "Kubernetes cluster pods should only use approved host network and port list", as Azure/azure-policy
    // built-in-policies/policyDefinitions/Kubernetes/HostNetworkPorts.json (7.0.0, read 2026-12-07) defines it: its id,
    // and parameters effect (Audit/Deny/Disabled), excludedNamespaces, allowHostNetwork (and allowedHostPorts, whose
    // default [] allows no host port, left as is).
    expect(assignment.inputs).toMatchObject({
        policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/82985f06-dc18-4a48-bc1c-b9f4f0098cfe",
        definitionVersion: "7.*.*",
        enforcementMode: "Default",
        parameters: { effect: { value: "Deny" }, allowHostNetwork: { value: false } },
    });
    expect(Object.keys(assignment.inputs.parameters as object).sort()).toEqual(["allowHostNetwork", "effect", "excludedNamespaces"]);
    expect(String(assignment.inputs.scope)).toMatch(new RegExp(`/${String(cluster.inputs.resourceName)}$`));
    const excluded = (assignment.inputs.parameters as any).excludedNamespaces.value as string[];
    // The platform's own host-networked pods must stay admissible: calico-node and Typha (calico-system; tigera/operator
    // pkg/render/node.go, typha.go), the Tigera operator itself (tigera-operator chart: hostNetwork: true), and
    // kube-system's AKS agents.
    expect(excluded).toEqual(expect.arrayContaining(["kube-system", "gatekeeper-system", "calico-system", "tigera-operator"]));
    expect(excluded).not.toContain("undeclared-namespace");
    expect(excluded).not.toContain("app-routing-system");
}

/**
 * Day two, as the stack registers it: every pool runs the cluster's `major.minor` (raising it upgrades the pools too,
 * Azure/AKS#3087), the cluster auto-upgrades patches and node images, and both planned-maintenance configurations
 * time those channels in weekly windows of at least 4 hours (AKS docs, planned-maintenance.md; ARM
 * MaintenanceConfiguration 2025-09-01: names, `schedule.weekly`, `startTime` 'HH:mm', `utcOffset` '+/-HH:mm').
 * Returns each window's day, for the dev-before-prod comparison.
 */
export function expectDayTwoLifecycle(run: MockRun): Record<string, string> {
    const cluster = single(run, "azure-native:containerservice:ManagedCluster");
    const version = String(cluster.inputs.kubernetesVersion);
    expect(version).toMatch(/^1\.\d+$/);
    const pools = [...(cluster.inputs.agentPoolProfiles as Array<Record<string, unknown>>), ...ofType(run, "azure-native:containerservice:AgentPool").map((pool) => pool.inputs)];
    expect(pools.length).toBeGreaterThanOrEqual(2);
    for (const pool of pools) expect(pool.orchestratorVersion, String(pool.name ?? pool.agentPoolName)).toBe(version);
    expect(cluster.inputs.autoUpgradeProfile).toEqual({ upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });

    const configurations = ofType(run, "azure-native:containerservice:MaintenanceConfiguration");
    expect(configurations.map((configuration) => configuration.inputs.configName).sort()).toEqual(["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]);
    const days: Record<string, string> = {};
    for (const configuration of configurations) {
        expect(configuration.inputs.resourceName).toBe(cluster.inputs.resourceName);
        const window = configuration.inputs.maintenanceWindow as { schedule: { weekly: { dayOfWeek: string; intervalWeeks: number } }; durationHours: number; startTime: string; utcOffset: string };
        expect(Object.keys(window.schedule)).toEqual(["weekly"]);
        expect(window.schedule.weekly.intervalWeeks).toBeGreaterThanOrEqual(1);
        expect(window.durationHours).toBeGreaterThanOrEqual(4);
        expect(window.durationHours).toBeLessThanOrEqual(24);
        expect(window.startTime).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        expect(window.utcOffset).toMatch(/^[+-]\d{2}:\d{2}$/);
        // No startDate: it would put a date in a resource; AKS takes the day the window is created.
        expect(window).not.toHaveProperty("startDate");
        days[String(configuration.inputs.configName)] = window.schedule.weekly.dayOfWeek;
    }
    return days;
}
