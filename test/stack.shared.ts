import { expect } from "vitest";
import type { MockRun } from "../offline/mockRuntime";
import { keyOf, ofType, single } from "./helpers/stack";

/** Promises every stack keeps, whatever its environment. */
export function expectZeroTrustBoundary(run: MockRun): void {
    const cluster = single(run, "azure-native:containerservice:ManagedCluster");
    expect(cluster.inputs.networkProfile).toMatchObject({
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy: "calico",
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
    expect(rules).toContainEqual(expect.objectContaining({ ruleType: "NetworkRule", destinationAddresses: ["AzureCloud.westeurope"], destinationPorts: ["443"] }));
    expect(rules).toContainEqual(expect.objectContaining({ ruleType: "NetworkRule", destinationAddresses: ["AzureCloud.westeurope"], destinationPorts: ["1194"], ipProtocols: ["UDP"] }));
    expect(rules).toContainEqual(expect.objectContaining({ targetFqdns: expect.arrayContaining(["westeurope.handler.control.monitor.azure.com", "*.ods.opinsights.azure.com"]) }));
    expect(rules).toContainEqual(expect.objectContaining({ targetFqdns: ["data.policy.core.windows.net", "store.policy.core.windows.net"] }));
    for (const rule of rules) {
        expect(rule.sourceAddresses).toEqual([expect.stringMatching(/^10\.\d+\.16\.0\/2\d$/)]);
    }

    // Rule collection groups are chained, and the firewall waits for all of them.
    expect(groups.length).toBeGreaterThanOrEqual(2);
    groups.slice(1).forEach((group, index) => expect(group.dependsOn).toContain(keyOf(groups[index])));
    expect(groups[0].dependsOn).toEqual([]);
    const firewall = single(run, "azure-native:network:AzureFirewall");
    expect(firewall.dependsOn).toEqual(expect.arrayContaining(groups.map(keyOf)));

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

    // Logs go to the workspace, resource-specific tables.
    const diagnostics = ofType(run, "azure-native:monitor:DiagnosticSetting");
    expect(diagnostics.map((setting) => setting.inputs.logAnalyticsDestinationType)).toEqual(["Dedicated", "Dedicated"]);
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
