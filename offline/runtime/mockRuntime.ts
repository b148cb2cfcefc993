import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../core/config";
import { numberToIpv4, parseIpv4Block } from "../../core/common";
import { useApiAccessProbe } from "../../components/kubernetesApiAccess";
import { useJudgementDay } from "../../components/judgementDay";
import { programPath as defaultProgramPath } from "./projectDir";

/** A resource the program registered, as the offline plan and the tests see it. */
export interface CapturedResource {
    /** Type token, e.g. `azure-native:network:AzureFirewall`. */
    readonly type: string;
    /** Pulumi logical name. */
    readonly name: string;
    /** Key (`type::name`) of the parent resource, if any. */
    readonly parent?: string;
    /** Inputs as the provider would receive them (secrets unwrapped). */
    readonly inputs: Record<string, unknown>;
    /** Keys (`type::name`) of explicit `dependsOn` resources. */
    readonly dependsOn: readonly string[];
    /** Whether `protect` is set. */
    readonly protect: boolean;
    /** Key (`type::name`) of the explicit provider, if any. */
    readonly provider?: string;
    /** Whether it is a component (no cloud object of its own). */
    readonly component: boolean;
    /** Property paths the engine keeps at their stored values (`ignoreChanges`). */
    readonly ignoreChanges: readonly string[];
}

/** The unique key of a resource within a stack: its type and logical name (what a URN ends with). */
export function resourceKey(type: string, name: string): string {
    return `${type}::${name}`;
}

/** What running the program under mocks produced. */
export interface MockRun {
    readonly stack: string;
    /** Resources in registration order. */
    readonly resources: readonly CapturedResource[];
    /** Stack outputs, with secrets marked. */
    readonly outputs: Record<string, { value: unknown; secret: boolean }>;
}

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const TENANT = "11111111-1111-1111-1111-111111111111";

/** The Azure name property of each azure-native type the program uses (azure-native generates names otherwise). */
const NAME_PROPERTIES: Record<string, string> = {
    "azure-native:resources:ResourceGroup": "resourceGroupName",
    "azure-native:network:VirtualNetwork": "virtualNetworkName",
    "azure-native:network:Subnet": "subnetName",
    "azure-native:network:RouteTable": "routeTableName",
    "azure-native:network:PublicIPAddress": "publicIpAddressName",
    "azure-native:network:FirewallPolicy": "firewallPolicyName",
    "azure-native:network:FirewallPolicyRuleCollectionGroup": "ruleCollectionGroupName",
    "azure-native:network:AzureFirewall": "azureFirewallName",
    "azure-native:operationalinsights:Workspace": "workspaceName",
    "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
    "azure-native:authorization:RoleAssignment": "roleAssignmentName",
    "azure-native:containerservice:ManagedCluster": "resourceName",
    "azure-native:containerservice:AgentPool": "agentPoolName",
    "azure-native:containerservice:MaintenanceConfiguration": "configName",
    "azure-native:monitor:DiagnosticSetting": "name",
    "azure-native:monitor:DataCollectionRule": "dataCollectionRuleName",
    "azure-native:monitor:DataCollectionRuleAssociation": "associationName",
    "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
};

/** A stable fake GUID derived from a seed, so that every offline run prints the same values. */
export function stableUuid(seed: string): string {
    const hex = createHash("sha256").update(seed).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Documentation ranges (RFC 5737 TEST-NET-3, then TEST-NET-2): mocked public IPs never collide with real ones. */
const MOCK_PUBLIC_IP_RANGES = ["203.0.113", "198.51.100"];

/**
 * A documentation-range address derived from a seed, unique within one run: Azure never gives two public IPs the
 * same address, and a collision would show up as a duplicate route. A taken address moves to the next free one.
 */
function stablePublicIp(seed: string, taken: Set<string>): string {
    const slots = MOCK_PUBLIC_IP_RANGES.length * 254;
    const start = createHash("sha256").update(seed).digest().readUInt16BE(0) % slots;
    for (let step = 0; step < slots; step++) {
        const slot = (start + step) % slots;
        const address = `${MOCK_PUBLIC_IP_RANGES[Math.floor(slot / 254)]}.${(slot % 254) + 1}`;
        if (!taken.has(address)) {
            taken.add(address);
            return address;
        }
    }
    throw new Error(`more than ${slots} mocked public IPs`);
}

/** A kubeconfig in the shape AKS returns for Entra ID clusters (exec plugin: kubelogin). */
function fakeKubeconfig(clusterName: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: ${clusterName}`,
        "  cluster:",
        `    server: https://${clusterName}.hcp.example.azmk8s.io:443`,
        "    certificate-authority-data: T0ZGTElORQ==",
        "contexts:",
        `- name: ${clusterName}`,
        "  context:",
        `    cluster: ${clusterName}`,
        `    user: clusterUser_${clusterName}`,
        `current-context: ${clusterName}`,
        "users:",
        `- name: clusterUser_${clusterName}`,
        "  user:",
        "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1",
        "      command: kubelogin",
        "      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]",
        "",
    ].join("\n");
}

/** Who runs `pulumi up` in an offline run: a CI workload identity (service principal) or a person. */
export type OfflineDeployer = "service-principal" | "user";

/** An unsigned JWT shaped like an ARM access token of that kind of identity (claims only; no signature). */
export function fakeAccessToken(deployer: OfflineDeployer): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const common = { aud: "https://management.azure.com/", tid: TENANT, oid: stableUuid("deployer/object") };
    const claims = deployer === "user"
        ? { ...common, idtyp: "user", scp: "user_impersonation", upn: "operator@example.com" }
        : { ...common, idtyp: "app", appid: stableUuid("deployer/client") };
    return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.offline`;
}

class OfflineMocks implements pulumi.runtime.Mocks {
    /** Address prefixes of subnets by id, so that the firewall gets a realistic private IP. */
    private readonly subnetPrefixes = new Map<string, string>();
    /** Public IP addresses handed out so far. */
    private readonly publicIps = new Set<string>();

    constructor(private readonly deployer: OfflineDeployer) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const nameProperty = NAME_PROPERTIES[args.type];
        const azureName = (nameProperty && typeof args.inputs[nameProperty] === "string" ? args.inputs[nameProperty] : args.name) as string;
        const [, module, kind] = args.type.split(":");
        const id = args.type.startsWith("azure-native:")
            ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/offline/providers/${module}/${kind}/${azureName}`
            : `${args.name}-id`;
        const state: Record<string, unknown> = { ...args.inputs, name: azureName };
        switch (args.type) {
            case "azure-native:network:Subnet":
                this.subnetPrefixes.set(id, String(args.inputs.addressPrefix));
                break;
            case "azure-native:network:PublicIPAddress":
                state.ipAddress = stablePublicIp(azureName, this.publicIps);
                break;
            case "azure-native:network:AzureFirewall":
                state.ipConfigurations = (args.inputs.ipConfigurations as Array<Record<string, unknown>> | undefined ?? []).map((configuration, index) => ({
                    ...configuration,
                    privateIPAddress: index === 0 ? this.firewallPrivateIp(configuration) : undefined,
                }));
                break;
            case "azure-native:containerservice:ManagedCluster": {
                // AKS names the API server <dnsPrefix>-<hash>.hcp.<region>.azmk8s.io (private: .privatelink.).
                const hash = createHash("sha256").update(azureName).digest("hex").slice(0, 8);
                state.fqdn = `${String(args.inputs.dnsPrefix)}-${hash}.hcp.${String(args.inputs.location)}.azmk8s.io`;
                if ((args.inputs.apiServerAccessProfile as { enablePrivateCluster?: boolean } | undefined)?.enablePrivateCluster) {
                    state.privateFQDN = `${String(args.inputs.dnsPrefix)}-${hash}.${hash}.privatelink.${String(args.inputs.location)}.azmk8s.io`;
                }
                break;
            }
            case "azure-native:managedidentity:UserAssignedIdentity":
                state.principalId = stableUuid(`${azureName}/principal`);
                state.clientId = stableUuid(`${azureName}/client`);
                break;
            case "random:index/randomUuid:RandomUuid":
                state.result = stableUuid(args.name);
                break;
        }
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "azure-native:authorization:getClientConfig":
                return { clientId: stableUuid("deployer/client"), objectId: stableUuid("deployer/object"), subscriptionId: SUBSCRIPTION, tenantId: TENANT };
            case "azure-native:authorization:getClientToken":
                return { token: fakeAccessToken(this.deployer) };
            case "azure-native:containerservice:listManagedClusterUserCredentials":
                return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(fakeKubeconfig(String(args.inputs.resourceName))).toString("base64") }] };
            default:
                return {};
        }
    }

    /** Azure gives the firewall the first usable address of AzureFirewallSubnet (after the 4 it reserves). */
    private firewallPrivateIp(configuration: Record<string, unknown>): string {
        const subnet = configuration.subnet as { id?: string } | undefined;
        const prefix = subnet?.id ? this.subnetPrefixes.get(subnet.id) : undefined;
        return prefix ? numberToIpv4(parseIpv4Block(prefix).first + 4) : "10.0.0.4";
    }
}

/** Options for one offline run. */
export interface MockRunOptions {
    /** Stack name. */
    readonly stack: string;
    /** Flat Pulumi config: `project:key` -> string (structured values as JSON text). */
    readonly config: Record<string, string>;
    /** The program to run; defaults to the project's index.ts. */
    readonly programPath?: string;
    /** Who the mocks say runs `pulumi up`; defaults to a service principal, as in the deploy workflow. */
    readonly deployer?: OfflineDeployer;
    /**
     * Whether the run is a preview (`pulumi preview`), as the offline plan is; false runs it as `pulumi up` would.
     * Defaults to true.
     */
    readonly preview?: boolean;
    /** The day the program judges version support on (ISO); defaults to SOURCE_DATE_EPOCH or the clock. */
    readonly today?: string;
    /** Receives each resource as it is registered, also when the program stops part-way. */
    readonly registered?: CapturedResource[];
}

/**
 * Runs the real Pulumi program under runtime mocks and captures every registered resource.
 * Pulumi's runtime state is global: call this once per process (tests get a process per file).
 */
export async function runProgramOffline(options: MockRunOptions): Promise<MockRun> {
    // No cluster to ask offline: the RBAC readiness check (components/kubernetesApiAccess.ts) answers at once.
    useApiAccessProbe(async () => "allowed");
    useJudgementDay(options.today);
    await pulumi.runtime.setMocks(new OfflineMocks(options.deployer ?? "service-principal"), PROJECT, options.stack, options.preview ?? true);
    pulumi.runtime.setAllConfig(options.config);

    const captured: CapturedResource[] = options.registered ?? [];
    const logicalNames = new WeakMap<pulumi.Resource, string>();
    const nameOf = (resource: unknown): string | undefined => (resource instanceof pulumi.Resource ? logicalNames.get(resource) : undefined);

    const programPath = options.programPath ?? defaultProgramPath(__dirname);
    const program: { exports: Record<string, unknown> } = { exports: {} };
    await pulumi.runtime.runInPulumiStack(async () => {
        // Legacy stack transformations still run under the mock monitor; they show each resource's options.
        pulumi.runtime.registerStackTransformation((args) => {
            logicalNames.set(args.resource, resourceKey(args.type, args.name));
            const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []).map(nameOf).filter((name): name is string => name !== undefined);
            const provider = (args.opts as pulumi.CustomResourceOptions).provider;
            captured.push({
                type: args.type,
                name: args.name,
                parent: nameOf(args.opts.parent),
                inputs: args.props as Record<string, unknown>,
                dependsOn,
                protect: args.opts.protect === true,
                provider: nameOf(provider),
                component: !(args.resource instanceof pulumi.CustomResource),
                ignoreChanges: [...(args.opts.ignoreChanges ?? [])],
            });
            return undefined;
        });
        const { default: _moduleObject, ...named } = await import(programPath);
        program.exports = named;
        return named;
    });

    const outputs: MockRun["outputs"] = {};
    for (const [key, value] of Object.entries(program.exports)) {
        outputs[key] = await settle(value);
    }
    const resources: CapturedResource[] = [];
    for (const resource of captured) {
        resources.push({ ...resource, inputs: (await settle(resource.inputs)).value as Record<string, unknown> });
    }
    return { stack: options.stack, resources, outputs };
}

/** Resolves every Output inside a value, remembering whether any of it was secret. */
async function settle(value: unknown): Promise<{ value: unknown; secret: boolean }> {
    const output = pulumi.output(value) as unknown as pulumi.Output<unknown>;
    const [resolved, secret] = await Promise.all([
        new Promise<unknown>((resolve) => output.apply((inner) => { resolve(inner); return inner; })),
        pulumi.isSecret(output),
    ]);
    return { value: resolved, secret };
}
