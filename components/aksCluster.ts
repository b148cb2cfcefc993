import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { DeployerPrincipalType, principalTypeFromAccessToken } from "../core/azure";
import { containerInsightsDataCollection, PolicyAssignmentPlan } from "../core/azure";
import { AGENT_POOL_IGNORED_CHANGES, CLUSTER_UPGRADE_CHANNEL, MAINTENANCE_CONFIGURATION_NAMES, MANAGED_CLUSTER_IGNORED_CHANGES, MaintenanceWindow, MaintenanceWindowName, maintenanceWindowArgs, NODE_OS_UPGRADE_CHANNEL } from "../core/azure";
import { AKS_AAD_SERVER_APP_ID, kubeconfigOnceAuthorized } from "./kubernetesApiAccess";

/** Built-in role ids (Azure docs, "Azure built-in roles"). */
export const ROLE_NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
export const ROLE_AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

/** Control-plane log categories sent to the workspace (Azure Monitor, "Supported logs for managedClusters"). */
export const CLUSTER_LOG_CATEGORIES = [
    "cloud-controller-manager",
    "cluster-autoscaler",
    "guard",
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
] as const;

/** The system pool carries this taint so that only critical add-ons run there (AKS docs, "Manage system node pools"). */
export const SYSTEM_POOL_TAINT = "CriticalAddonsOnly=true:NoSchedule";

/** A node pool's size and placement. */
export interface NodePoolSettings {
    readonly vmSize: string;
    readonly minCount: number;
    readonly maxCount: number;
    readonly maxPods: number;
}

/** A user node pool. */
export interface UserPoolSettings extends NodePoolSettings {
    readonly name: string;
    readonly nodeLabels: Record<string, string>;
}

/** Arguments of the AKS cluster. */
export interface AksClusterArgs {
    /** Resource group of the cluster. */
    readonly resourceGroupName: pulumi.Input<string>;
    /** Azure region. */
    readonly location: string;
    /** Azure name of the cluster. */
    readonly clusterName: string;
    /** Azure name of the cluster's user-assigned identity. */
    readonly identityName: string;
    /** DNS prefix of the API server FQDN. */
    readonly dnsPrefix: string;
    /** Resource group AKS creates for the nodes. */
    readonly nodeResourceGroup: string;
    /** Kubernetes `major.minor`; the control plane and every pool (`orchestratorVersion`) run it. */
    readonly kubernetesVersion: string;
    /** Planned maintenance windows of the auto-upgrade channel and the node image channel. */
    readonly maintenance: Readonly<Record<MaintenanceWindowName, MaintenanceWindow>>;
    /** AKS pricing tier. */
    readonly skuTier: "Free" | "Standard" | "Premium";
    /** Node subnet. */
    readonly nodeSubnetId: pulumi.Input<string>;
    /** Route table of the node subnet. */
    readonly routeTableId: pulumi.Input<string>;
    /** Network policy engine (ADR 008: calico). */
    readonly networkPolicy: "calico" | "cilium" | "none";
    /** Overlay pod CIDR. */
    readonly podCidr: string;
    /** Service CIDR. */
    readonly serviceCidr: string;
    /** Cluster DNS service IP. */
    readonly dnsServiceIp: string;
    /** Availability zones of the node pools. */
    readonly zones: readonly string[];
    /** The system pool (tainted for critical add-ons). */
    readonly systemPool: NodePoolSettings;
    /** User pools for workloads. */
    readonly userPools: readonly UserPoolSettings[];
    /** Private API server. */
    readonly privateCluster: boolean;
    /** CIDRs allowed to reach a public API server; the firewall's egress IPs are added. */
    readonly authorizedIpRanges: readonly string[];
    /** The firewall's public IPs: nodes reach a public API server from these. */
    readonly egressPublicIps: pulumi.Input<string>[];
    /** Disable local accounts (Entra ID only). */
    readonly disableLocalAccounts: boolean;
    /** Entra ID groups with cluster admin. */
    readonly adminGroupObjectIds: readonly string[];
    /** Kind of identity running `pulumi up`; derived from its access token when undefined. */
    readonly deployerPrincipalType?: DeployerPrincipalType;
    /** Turn on AKS LocalDNS on every pool. */
    readonly localDns: boolean;
    /** Container Insights add-on. */
    readonly monitoringAddon: boolean;
    /** Azure Policy add-on. */
    readonly azurePolicyAddon: boolean;
    /** Azure Policy assignment that keeps host-networked pods out (core/azure decides: only with the add-on). */
    readonly hostNetworkPolicy?: PolicyAssignmentPlan;
    /** Log Analytics workspace for control-plane logs and Container Insights. */
    readonly workspaceId: pulumi.Input<string>;
    /** Everything that must exist before the cluster: the egress route (firewall) and the node subnet. */
    readonly egressReady: pulumi.Input<pulumi.Resource>[];
    /** Protect the cluster from deletion. */
    readonly protect: boolean;
    /** Tags for every resource. */
    readonly tags: Record<string, string>;
}

/**
 * AKS with Azure CNI overlay and Calico, egressing through the firewall (userDefinedRouting),
 * Entra ID with Azure RBAC, and a Kubernetes provider for the in-cluster policies.
 */
export class AksCluster extends pulumi.ComponentResource {
    /** The cluster's control-plane identity. */
    public readonly identity: managedidentity.UserAssignedIdentity;
    /** Network Contributor grants the cluster needs before it is created. */
    public readonly networkRoleAssignments: authorization.RoleAssignment[];
    /** The managed cluster. */
    public readonly cluster: containerservice.ManagedCluster;
    /** User node pools. */
    public readonly userPools: containerservice.AgentPool[];
    /** When AKS may upgrade Kubernetes patches and reimage nodes. */
    public readonly maintenanceConfigurations: containerservice.MaintenanceConfiguration[];
    /** Container Insights' data collection rule (containers, inventory, node kernel log), when monitoring is on. */
    public readonly dataCollectionRule: monitor.DataCollectionRule | undefined;
    /** Kubeconfig for Entra ID users (exec plugin: kubelogin). A secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Kubernetes provider for resources inside the cluster. */
    public readonly provider: k8s.Provider;

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("aks-zero-trust:cluster:AksCluster", name, {}, opts);

        this.identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            resourceName: args.identityName,
            tags: args.tags,
        }, { parent: this });

        // A bring-your-own route table needs these grants before creation, or AKS fails with
        // CustomRouteTableMissingPermission (AKS docs, "Use a user-assigned control plane identity").
        this.networkRoleAssignments = [
            grantRole(`${name}-node-subnet-network-contributor`, args.nodeSubnetId, ROLE_NETWORK_CONTRIBUTOR, this.identity.principalId, "ServicePrincipal", this),
            grantRole(`${name}-route-table-network-contributor`, args.routeTableId, ROLE_NETWORK_CONTRIBUTOR, this.identity.principalId, "ServicePrincipal", this),
        ];

        this.cluster = createManagedCluster(name, args, this.identity, [...this.networkRoleAssignments, ...args.egressReady], this);
        this.userPools = args.userPools.map((pool) => createUserPool(name, args, pool, this.cluster, this));
        this.maintenanceConfigurations = (Object.keys(MAINTENANCE_CONFIGURATION_NAMES) as MaintenanceWindowName[])
            .map((window) => createMaintenanceConfiguration(name, args, window, this.cluster, this));

        new monitor.DiagnosticSetting(`${name}-diagnostics`, {
            name: "to-log-analytics",
            resourceUri: this.cluster.id,
            workspaceId: args.workspaceId,
            logAnalyticsDestinationType: "Dedicated",
            logs: CLUSTER_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            metrics: [{ category: "AllMetrics", enabled: true }],
        }, { parent: this });

        this.dataCollectionRule = args.monitoringAddon ? collectContainerInsights(name, args, this.cluster, this) : undefined;

        if (args.hostNetworkPolicy) {
            new authorization.PolicyAssignment(`${name}-no-host-network`, { ...args.hostNetworkPolicy, scope: this.cluster.id }, { parent: this });
        }

        // Whoever runs `pulumi up` applies the in-cluster policies, so it needs cluster admin through Azure RBAC.
        const deployer = authorization.getClientConfigOutput({ parent: this });
        const deployerAdmin = grantRole(`${name}-deployer-cluster-admin`, this.cluster.id, ROLE_AKS_RBAC_CLUSTER_ADMIN, deployer.objectId, deployerPrincipalType(args, this), this);

        const credentials = containerservice.listManagedClusterUserCredentialsOutput({
            resourceGroupName: args.resourceGroupName,
            resourceName: this.cluster.name,
            // Entra ID kubeconfig with the kubelogin exec plugin; set AAD_LOGIN_METHOD (azurecli, workloadidentity) to choose the login.
            format: "exec",
        }, { parent: this });
        this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((kubeconfigs) => {
            const encoded = kubeconfigs[0]?.value;
            if (!encoded) {
                throw new Error(`AKS returned no user kubeconfig for cluster ${args.clusterName}`);
            }
            return Buffer.from(encoded, "base64").toString("utf8");
        }));

        // Azure RBAC can take minutes to reach the API server: the provider's kubeconfig resolves only once the
        // deployer's token is allowed in, after the role assignment exists, so in-cluster objects never race it.
        const apiToken = authorization.getClientTokenOutput({ endpoint: AKS_AAD_SERVER_APP_ID }, { parent: this }).token;
        const authorizedKubeconfig = pulumi.secret(pulumi.all([this.kubeconfig, apiToken, deployerAdmin.id])
            .apply(([kubeconfig, token]) => kubeconfigOnceAuthorized(kubeconfig, token)));

        this.provider = new k8s.Provider(`${name}-kubernetes`, {
            kubeconfig: authorizedKubeconfig,
            enableServerSideApply: true,
        }, { parent: this, dependsOn: [deployerAdmin, ...this.userPools] });

        this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
    }
}

function createManagedCluster(
    name: string,
    args: AksClusterArgs,
    identity: managedidentity.UserAssignedIdentity,
    dependsOn: pulumi.Input<pulumi.Resource>[],
    parent: pulumi.Resource,
): containerservice.ManagedCluster {
    const zones = args.zones.length > 0 ? [...args.zones] : undefined;
    const addonProfiles: Record<string, { enabled: boolean; config?: Record<string, pulumi.Input<string>> }> = {
        azurepolicy: { enabled: args.azurePolicyAddon },
        omsagent: args.monitoringAddon
            ? { enabled: true, config: { logAnalyticsWorkspaceResourceID: args.workspaceId, useAADAuth: "true" } }
            : { enabled: false },
    };
    return new containerservice.ManagedCluster(`${name}-cluster`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: args.clusterName,
        dnsPrefix: args.dnsPrefix,
        nodeResourceGroup: args.nodeResourceGroup,
        kubernetesVersion: args.kubernetesVersion,
        sku: { name: "Base", tier: args.skuTier },
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [...args.adminGroupObjectIds] },
        disableLocalAccounts: args.disableLocalAccounts,
        enableRBAC: true,
        apiServerAccessProfile: args.privateCluster
            ? { enablePrivateCluster: true }
            : {
                // Nodes reach a public API server from the firewall's IPs, so those must be authorized too
                // (AKS docs, "Secure access to the API server using authorized IP address ranges").
                authorizedIPRanges: args.authorizedIpRanges.length > 0
                    ? pulumi.all(args.egressPublicIps).apply((ips) => [...new Set([...args.authorizedIpRanges, ...ips.map((ip) => `${ip}/32`)])].sort())
                    : undefined,
            },
        networkProfile: {
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            networkPolicy: args.networkPolicy,
            // Cilium network policy requires the Cilium dataplane (AKS docs, "Azure CNI powered by Cilium").
            networkDataplane: args.networkPolicy === "cilium" ? "cilium" : undefined,
            podCidr: args.podCidr,
            serviceCidr: args.serviceCidr,
            dnsServiceIP: args.dnsServiceIp,
            outboundType: "userDefinedRouting",
            loadBalancerSku: "standard",
            // No `podLinkLocalAccess: None` (AKS "IMDS restriction"): it exists only in preview ARM versions, not in
            // 2025-09-01, which this SDK's containerservice module speaks, and AKS refuses it with add-ons that read
            // IMDS from pods, Azure Monitor and Azure Policy among them (AKS docs, imds-restriction.md). The Calico
            // guardrail (core/policies/metadataGuardrail.ts) closes IMDS to pods instead; see README, "Guardrails".
        },
        agentPoolProfiles: [{
            name: "system",
            mode: "System",
            type: "VirtualMachineScaleSets",
            osType: "Linux",
            vmSize: args.systemPool.vmSize,
            count: args.systemPool.minCount,
            enableAutoScaling: true,
            minCount: args.systemPool.minCount,
            maxCount: args.systemPool.maxCount,
            maxPods: args.systemPool.maxPods,
            vnetSubnetID: args.nodeSubnetId,
            availabilityZones: zones,
            nodeTaints: [SYSTEM_POOL_TAINT],
            // One `pulumi up` moves the control plane and this pool together; AKS: a pool's orchestratorVersion in a
            // managed-cluster PUT must stay unchanged "or the same with control plane"
            // (NotAllAgentPoolOrchestratorVersionSpecifiedAndUnchanged, auto-upgrade-cluster.md).
            orchestratorVersion: args.kubernetesVersion,
            localDNSProfile: localDnsProfile(args.localDns),
        }],
        addonProfiles,
        // Timed by the maintenance configurations below.
        autoUpgradeProfile: { upgradeChannel: CLUSTER_UPGRADE_CHANNEL, nodeOSUpgradeChannel: NODE_OS_UPGRADE_CHANNEL },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        tags: args.tags,
    }, {
        parent,
        protect: args.protect,
        dependsOn,
        // What Azure changes without Pulumi, and why each is ignored: core/azure/refreshDrift.ts.
        ignoreChanges: MANAGED_CLUSTER_IGNORED_CHANGES.map((ignored) => ignored.path),
    });
}

/**
 * Container Insights with managed-identity auth collects only what a DCR associated with the cluster names; ARM
 * (unlike the az CLI) creates neither (core/azure/monitoring.ts). Named like the CLI's `MSCI-<region>-<cluster>`.
 */
function collectContainerInsights(name: string, args: AksClusterArgs, cluster: containerservice.ManagedCluster, parent: pulumi.Resource): monitor.DataCollectionRule {
    const rule = new monitor.DataCollectionRule(`${name}-container-insights`, {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        dataCollectionRuleName: `MSCI-${args.location}-${args.clusterName}`.slice(0, 64),
        description: "Container Insights and the nodes' kernel log (Calico denied-flow lines) for the AKS cluster",
        ...containerInsightsDataCollection(args.workspaceId),
        tags: args.tags,
    }, { parent });
    new monitor.DataCollectionRuleAssociation(`${name}-container-insights`, {
        associationName: "ContainerInsightsExtension",
        resourceUri: cluster.id,
        dataCollectionRuleId: rule.id,
        description: "Association of the Container Insights data collection rule with the AKS cluster",
    }, { parent });
    return rule;
}

function createUserPool(name: string, args: AksClusterArgs, pool: UserPoolSettings, cluster: containerservice.ManagedCluster, parent: pulumi.Resource): containerservice.AgentPool {
    return new containerservice.AgentPool(`${name}-pool-${pool.name}`, {
        resourceGroupName: args.resourceGroupName,
        resourceName: cluster.name,
        agentPoolName: pool.name,
        mode: "User",
        type: "VirtualMachineScaleSets",
        osType: "Linux",
        vmSize: pool.vmSize,
        count: pool.minCount,
        enableAutoScaling: true,
        minCount: pool.minCount,
        maxCount: pool.maxCount,
        maxPods: pool.maxPods,
        vnetSubnetID: args.nodeSubnetId,
        availabilityZones: args.zones.length > 0 ? [...args.zones] : undefined,
        nodeLabels: pool.nodeLabels,
        // Upgraded after the cluster (it depends on it): AKS keeps a pool at or below the control plane's version.
        orchestratorVersion: args.kubernetesVersion,
        localDNSProfile: localDnsProfile(args.localDns),
        tags: args.tags,
    }, { parent, ignoreChanges: AGENT_POOL_IGNORED_CHANGES.map((ignored) => ignored.path) });
}

/**
 * LocalDNS on or off. Off is sent as `mode: Disabled`: leaving the profile out would leave a pool's LocalDNS as it is
 * (AKS docs, localdns-custom.md, "Disable LocalDNS on a node pool": set `mode` to `Disabled`).
 */
function localDnsProfile(on: boolean): { mode: "Required" | "Disabled" } {
    return { mode: on ? "Required" : "Disabled" };
}

/**
 * A planned maintenance window (core/azure/plannedMaintenance.ts): `aksManagedAutoUpgradeSchedule` for the patch
 * channel, `aksManagedNodeOSUpgradeSchedule` for node images.
 */
function createMaintenanceConfiguration(name: string, args: AksClusterArgs, window: MaintenanceWindowName, cluster: containerservice.ManagedCluster, parent: pulumi.Resource): containerservice.MaintenanceConfiguration {
    return new containerservice.MaintenanceConfiguration(`${name}-maintenance-${window === "kubernetesUpgrades" ? "kubernetes" : "node-image"}`, {
        resourceGroupName: args.resourceGroupName,
        resourceName: cluster.name,
        configName: MAINTENANCE_CONFIGURATION_NAMES[window],
        maintenanceWindow: maintenanceWindowArgs(args.maintenance[window]),
    }, { parent });
}

/**
 * The deploying identity's principal type: the stack's override, else what its ARM access token says. The token is
 * a credential: it is read inside the invoke's output and never leaves it; only "User" or "ServicePrincipal" does.
 */
function deployerPrincipalType(args: AksClusterArgs, parent: pulumi.Resource): pulumi.Input<DeployerPrincipalType> {
    if (args.deployerPrincipalType) {
        return args.deployerPrincipalType;
    }
    const token = authorization.getClientTokenOutput({}, { parent }).token;
    return pulumi.unsecret(token.apply((value) => {
        const principalType = principalTypeFromAccessToken(value);
        if (!principalType) {
            throw new Error("cannot tell from the Azure access token whether pulumi up runs as a user or a service principal; set aks-zero-trust:cluster.deployerPrincipalType");
        }
        return principalType;
    }));
}

/**
 * A role assignment. Its name must be a GUID; a RandomUuid whose keepers are the scope, role and
 * principal keeps it stable across runs and replaces it only when one of those changes.
 */
function grantRole(
    resourceName: string,
    scope: pulumi.Input<string>,
    roleId: string,
    principalId: pulumi.Input<string>,
    principalType: pulumi.Input<DeployerPrincipalType>,
    parent: pulumi.Resource,
): authorization.RoleAssignment {
    const subscriptionScope = pulumi.output(scope).apply((id) => id.split("/").slice(0, 3).join("/"));
    const assignmentName = new random.RandomUuid(`${resourceName}-name`, {
        keepers: { scope, roleId, principalId },
    }, { parent });
    return new authorization.RoleAssignment(resourceName, {
        roleAssignmentName: assignmentName.result,
        scope,
        principalId,
        // Always set: it must match the principal (UnmatchedPrincipalType otherwise), and for identities created in
        // this run it spares ARM a directory lookup that replication can lag behind.
        principalType,
        roleDefinitionId: pulumi.interpolate`${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
    }, { parent });
}
