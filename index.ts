import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { readStackConfig, StackConfig } from "./core/config";
import { ConfigError, DayError } from "./core/common";
import { hostNetworkPolicyAssignment } from "./core/azure";
import { azureNames, predictedFirewallPrivateIp } from "./core/config";
import { API_SERVER_GROUP_NAME, API_SERVER_GROUP_PRIORITY, apiServerEgressGroup, needsApiServerEgressGroup, planFirewallRules } from "./core/firewall";
import { findPlaceholders, placeholderRefusal, projectConfigValues } from "./core/config";
import { programJudgementDay } from "./components/judgementDay";
import { Network } from "./components/network";
import { EgressFirewall } from "./components/egressFirewall";
import { NodeSubnet } from "./components/nodeSubnet";
import { AksCluster } from "./components/aksCluster";
import { NamespacePolicySet } from "./components/namespacePolicySet";
import { InfrastructurePolicies } from "./components/infrastructurePolicies";
import { CalicoOperator } from "./components/calicoOperator";
import { renderSegmentation, RenderedSegmentation } from "./core/policies";

/** Stops on a user mistake with the ConfigError's message, cleanly (no stack trace). */
function orStopOnConfigError<T>(step: () => T): T {
    try {
        return step();
    } catch (error) {
        if (error instanceof ConfigError || error instanceof DayError) {
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}

// The config is read and validated, and the policies rendered (budgets checked), before any resource exists. The
// Kubernetes version is judged on the day this runs (SOURCE_DATE_EPOCH for a fixed one).
const configValues = projectConfigValues(pulumi.runtime.allConfig());
const config: StackConfig = orStopOnConfigError(() => readStackConfig(configValues, pulumi.getStack(), { today: programJudgementDay() }));
// A real `pulumi up` creates nothing while the stack still holds a placeholder (a documentation address range, an
// example GUID or domain): the API server would not let the deployer in, and the update would stop half-way. A
// preview and the offline plan run, so that the shipped stacks stay plannable.
const placeholders = findPlaceholders(configValues);
if (placeholders.length > 0 && !pulumi.runtime.isDryRun()) {
    throw new pulumi.RunError(placeholderRefusal(placeholders));
}
const names = azureNames(config);
const tags = { environment: config.environment, "managed-by": "pulumi", project: "aks-zero-trust", ...config.tags };
const stateful = { protect: config.protect };
// One intent drives both boundaries: the east-west policies and the firewall's workload FQDN rules.
const segmentation: RenderedSegmentation = config.segmentation
    ? orStopOnConfigError(() => renderSegmentation(config.segmentation!, config.cluster.calico.mode))
    : { calicoMode: config.cluster.calico.mode, tiers: [], namespaces: [], globalPolicies: [], firewallFqdns: [], firewallCidrs: [] };

const resourceGroup = new resources.ResourceGroup("platform", {
    resourceGroupName: names.resourceGroup,
    location: config.location,
    tags,
}, stateful);

const workspace = new operationalinsights.Workspace("platform-logs", {
    resourceGroupName: resourceGroup.name,
    location: config.location,
    workspaceName: names.workspace,
    sku: { name: "PerGB2018" },
    retentionInDays: config.environment === "prod" ? 90 : 30,
    tags,
}, stateful);

// Nodes resolve through the firewall's DNS proxy, so FQDN network rules see the addresses the nodes use.
const firewallPrivateIpAddress = predictedFirewallPrivateIp(config.network.firewallSubnetCidr);

const network = new Network("platform", {
    resourceGroupName: resourceGroup.name,
    location: config.location,
    virtualNetworkName: names.virtualNetwork,
    vnetCidr: config.network.vnetCidr,
    firewallSubnetCidr: config.network.firewallSubnetCidr,
    dnsServers: [firewallPrivateIpAddress],
    firewallManagementSubnetCidr: config.firewall.tier === "Basic" ? config.network.firewallManagementSubnetCidr : undefined,
    tags,
});

const firewall = new EgressFirewall("egress", {
    resourceGroupName: resourceGroup.name,
    location: config.location,
    firewallName: names.firewall,
    policyName: names.firewallPolicy,
    publicIpNames: Array.from({ length: config.firewall.publicIpCount }, (_, index) => names.firewallPublicIp(index)),
    managementPublicIpName: names.firewallManagementPublicIp,
    tier: config.firewall.tier,
    threatIntelMode: config.firewall.threatIntelMode,
    idpsMode: config.firewall.idpsMode,
    zones: config.firewall.zones,
    subnetId: network.firewallSubnet.id,
    expectedPrivateIp: firewallPrivateIpAddress,
    managementSubnetId: network.firewallManagementSubnet?.id,
    ruleCollectionGroups: planFirewallRules(config, segmentation.firewallFqdns, segmentation.firewallCidrs),
    workspaceId: workspace.id,
    protect: config.protect,
    tags,
});

const nodeSubnet = new NodeSubnet("nodes", {
    resourceGroupName: resourceGroup.name,
    location: config.location,
    virtualNetworkName: network.virtualNetwork.name,
    subnetName: names.nodeSubnet,
    subnetCidr: config.network.nodeSubnetCidr,
    routeTableName: names.routeTable,
    networkSecurityGroupName: names.nodeNetworkSecurityGroup,
    podCidr: config.cluster.podCidr,
    workspaceId: workspace.id,
    firewallPrivateIp: firewall.privateIp,
    firewallPublicIps: firewall.publicIpAddresses,
    after: [network.firewallManagementSubnet ?? network.firewallSubnet],
    tags,
});

const cluster = new AksCluster("aks", {
    resourceGroupName: resourceGroup.name,
    location: config.location,
    clusterName: names.cluster,
    identityName: names.clusterIdentity,
    dnsPrefix: names.dnsPrefix,
    nodeResourceGroup: names.nodeResourceGroup,
    kubernetesVersion: config.cluster.kubernetesVersion,
    maintenance: config.cluster.maintenance,
    skuTier: config.cluster.skuTier,
    nodeSubnetId: nodeSubnet.subnet.id,
    routeTableId: nodeSubnet.routeTable.id,
    networkPolicy: config.cluster.networkPolicy,
    podCidr: config.cluster.podCidr,
    serviceCidr: config.cluster.serviceCidr,
    dnsServiceIp: config.cluster.dnsServiceIp,
    zones: config.cluster.zones,
    systemPool: config.cluster.systemPool,
    userPools: config.cluster.userPools,
    privateCluster: config.cluster.apiServer.privateCluster,
    authorizedIpRanges: config.cluster.apiServer.authorizedIpRanges,
    egressPublicIps: firewall.publicIpAddresses,
    disableLocalAccounts: config.cluster.disableLocalAccounts,
    adminGroupObjectIds: config.cluster.adminGroupObjectIds,
    deployerPrincipalType: config.cluster.deployerPrincipalType,
    localDns: config.cluster.localDns,
    monitoringAddon: config.cluster.monitoringAddon,
    azurePolicyAddon: config.cluster.azurePolicyAddon,
    hostNetworkPolicy: hostNetworkPolicyAssignment(config.cluster.azurePolicyAddon, config.exemptNamespaces),
    workspaceId: workspace.id,
    // The default route must point at a running firewall before nodes boot, or they never join.
    egressReady: [nodeSubnet.routeTable, nodeSubnet.subnet, firewall.firewall],
    protect: config.protect,
    tags,
});

// Pods that call the Kubernetes API reach the public API server through the firewall, by the cluster's own FQDN.
if (needsApiServerEgressGroup(config)) {
    firewall.addRuleCollectionGroupAfter(API_SERVER_GROUP_NAME, API_SERVER_GROUP_PRIORITY, cluster.cluster.fqdn.apply((fqdn) => apiServerEgressGroup(config, fqdn)), [cluster.cluster]);
}

// Self-managed Calico: the pinned Tigera operator; every Calico v3 object waits for its API server to be ready.
const calico = config.cluster.calico.mode === "self-managed" ? new CalicoOperator("calico", { release: config.cluster.calico.release }, { provider: cluster.provider }) : undefined;
const calicoReady = calico ? [calico.apiServer] : [];
const policySets = segmentation.namespaces.map((plan) => new NamespacePolicySet(plan.namespace, { plan, after: calicoReady }, { provider: cluster.provider }));
new InfrastructurePolicies("infrastructure", { globalPolicies: segmentation.globalPolicies, tiers: segmentation.tiers, after: [...policySets, ...calicoReady] }, { provider: cluster.provider });

export const resourceGroupName = resourceGroup.name;
export const clusterName = cluster.cluster.name;
export const firewallPrivateIp = firewall.privateIp;
export const firewallPublicIps = firewall.publicIpAddresses;
export const workspaceId = workspace.id;
export const kubeconfig = cluster.kubeconfig;

