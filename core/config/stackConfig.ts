import { z } from "zod";
import { nearestName, ProblemList } from "../common";
import { namedConfigPath } from "./configPaths";
import { cidrProblem, isIpv4Address, parseIpv4Block, Ipv4Block, contains, overlaps, blockSize, ipv4ToNumber, containsAddress } from "../common";
import { FqdnRule, fqdnRuleSchema, normaliseFqdnRules } from "../common";
import { ClusterNetworkFacts, intentSchema, NETWORK_POLICY_PATH, policyEnforcementProblem, validateIntent, SegmentationIntent } from "../intent";
import { AksAddon, exemptNamespaces } from "../calico";
import { AKS_VERSION_CALENDAR_READ_ON, CLUSTER_UPGRADE_CHANNEL, judgeVersionSupport, MAINTENANCE_INTERVAL_WEEKS, MAINTENANCE_WINDOW_HOURS, MaintenanceWindow, MaintenanceWindowName, WEEK_DAYS } from "../azure";
import { isAzureRegion, regionsLike } from "../azure";
import { CALICO_RELEASES, CALICO_RELEASES_READ_ON, calicoRelease, type CalicoRelease } from "../calico";
import { READABLE_VM_FAMILIES, vmSizeCapacity } from "../azure";

/** The Pulumi project name; stack config keys are `aks-zero-trust:<key>`. */
export const PROJECT = "aks-zero-trust";

export type { FqdnRule } from "../common";

const cidr = z.string().superRefine((value, context) => {
    const problem = cidrProblem(value);
    if (problem) {
        context.addIssue({ code: "custom", message: problem });
    }
});

const zone = z.enum(["1", "2", "3"]);
const count = (min: number, max: number) => z.number().int().min(min).max(max);

const nodePoolSchema = z.strictObject({
    /** Azure VM size, e.g. Standard_D4ds_v5. */
    vmSize: z.string().regex(/^Standard_[A-Za-z0-9_-]+$/, "expected an Azure VM size such as Standard_D4ds_v5"),
    /** Autoscaler lower bound; a system pool keeps at least one node. */
    minCount: count(1, 1000),
    /** Autoscaler upper bound. */
    maxCount: count(1, 1000),
    /** Maximum pods per node (overlay allows up to 250). */
    maxPods: count(10, 250).default(110),
});

/** A weekly maintenance window; AKS wants at least 4 hours with auto-upgrade, the API at most 24. */
const maintenanceWindowSchema = z.strictObject({
    dayOfWeek: z.enum(WEEK_DAYS),
    /** Start, 'HH:mm' in utcOffset's zone. */
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time 'HH:mm' from 00:00 to 23:59"),
    durationHours: z.number().int().min(MAINTENANCE_WINDOW_HOURS.min).max(MAINTENANCE_WINDOW_HOURS.max),
    /** '+HH:mm' or '-HH:mm' (UTC-12:00 to UTC+14:00). */
    utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):(00|30|45)$/, "expected a UTC offset such as +00:00, +05:30 or -08:00").default("+00:00"),
    intervalWeeks: z.number().int().min(MAINTENANCE_INTERVAL_WEEKS.min).max(MAINTENANCE_INTERVAL_WEEKS.max).default(1),
});

/**
 * Default windows: dev's come two days before prod's, so that dev takes each patch and node image first (the canary);
 * both at night UTC, four hours, weekly (AKS recommends a weekly node OS window with NodeImage).
 */
export const DEFAULT_MAINTENANCE_WINDOWS: Record<"dev" | "prod", Record<MaintenanceWindowName, MaintenanceWindow>> = {
    dev: {
        kubernetesUpgrades: { dayOfWeek: "Monday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 },
        nodeImageUpgrades: { dayOfWeek: "Tuesday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 },
    },
    prod: {
        kubernetesUpgrades: { dayOfWeek: "Wednesday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 },
        nodeImageUpgrades: { dayOfWeek: "Thursday", startTime: "01:00", durationHours: 4, utcOffset: "+00:00", intervalWeeks: 1 },
    },
};

const userPoolSchema = nodePoolSchema.extend({
    /** Autoscaler lower bound; user pools may scale to zero (AKS docs, "Manage system node pools": user pools can contain zero or more nodes). */
    minCount: count(0, 1000),
    /** Agent pool name: lowercase letters and digits, starting with a letter, at most 12 characters (Azure's rule). */
    name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, "expected 1-12 lowercase letters or digits, starting with a letter"),
    /** Kubernetes labels put on the pool's nodes. */
    nodeLabels: z.record(z.string(), z.string()).default({}),
});

/** The raw shape of the project's stack config, before cross-field checks. */
export const stackConfigSchema = z.strictObject({
    /** Which environment this stack is; drives defaults such as `protect`. */
    environment: z.enum(["dev", "prod"]),
    /** Azure region, e.g. westeurope. */
    location: z.string().regex(/^[a-z][a-z0-9]+$/, "expected an Azure region name such as westeurope"),
    /** Short name used in every Azure resource name, e.g. `zt`. */
    prefix: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "expected 2-10 lowercase letters or digits").default("zt"),
    /** Resource tags applied to every Azure resource. */
    tags: z.record(z.string(), z.string()).default({}),
    /** Whether stateful resources (resource group, cluster, firewall, workspace) are protected from deletion. Defaults to true in prod. */
    protect: z.boolean().optional(),
    network: z.strictObject({
        /** Address space of the virtual network. */
        vnetCidr: cidr,
        /** The `AzureFirewallSubnet`; Azure requires at least a /26. */
        firewallSubnetCidr: cidr,
        /** The `AzureFirewallManagementSubnet`, required by the Basic SKU only (at least a /26). */
        firewallManagementSubnetCidr: cidr.optional(),
        /** Subnet for the AKS nodes (overlay: pods do not take addresses from it). */
        nodeSubnetCidr: cidr,
    }),
    cluster: z.strictObject({
        /**
         * Kubernetes `major.minor` inside AKS standard support, e.g. "1.36" (calendar: core/azure/aksVersions.ts). A patch
         * pin is refused: the `patch` auto-upgrade channel raises patches itself.
         */
        kubernetesVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "expected a version such as 1.33 or 1.33.2"),
        /** AKS pricing tier; Standard carries the uptime SLA. */
        skuTier: z.enum(["Free", "Standard", "Premium"]).default("Free"),
        /** Overlay pod CIDR; every node takes a /24 from it. */
        podCidr: cidr,
        /** Kubernetes service CIDR. */
        serviceCidr: cidr,
        /** Cluster DNS service address, inside serviceCidr. */
        dnsServiceIp: z.string().refine(isIpv4Address, "expected an IPv4 address such as 10.96.0.10"),
        /**
         * Planned maintenance windows (core/azure/plannedMaintenance.ts): `kubernetesUpgrades` times the `patch`
         * auto-upgrade channel, `nodeImageUpgrades` the weekly node image. Defaults put dev two days before prod.
         */
        maintenance: z
            .strictObject({
                kubernetesUpgrades: maintenanceWindowSchema.optional(),
                nodeImageUpgrades: maintenanceWindowSchema.optional(),
            })
            .default({}),
        /** Availability zones for node pools; empty means no zone pinning. */
        zones: z.array(zone).default([]),
        systemPool: nodePoolSchema,
        userPools: z.array(userPoolSchema).default([]),
        apiServer: z
            .strictObject({
                /** Private cluster: the API server gets a private endpoint in the VNet. */
                privateCluster: z.boolean().default(false),
                /** Public API server reachable only from these CIDRs (the firewall's public IPs are added automatically). */
                authorizedIpRanges: z.array(cidr).default([]),
            })
            .default({ privateCluster: false, authorizedIpRanges: [] }),
        /** Disable local (certificate) accounts so that only Entra ID identities reach the API server. */
        disableLocalAccounts: z.boolean().default(true),
        /** Entra ID groups that get cluster admin through Azure RBAC. */
        adminGroupObjectIds: z.array(z.uuid()).default([]),
        /**
         * Network policy engine AKS installs. Calico is what ADR 008 decided; `cilium` (Azure CNI powered by Cilium)
         * and `none` exist so that the policy pack can be seen refusing them. Derived from calico.mode when unset:
         * `calico` (aks-managed) or `none` (self-managed: AKS installs no engine, the Tigera operator does).
         */
        networkPolicy: z.enum(["calico", "cilium", "none"]).optional(),
        /**
         * Who runs Calico. `aks-managed`: AKS installs it (`networkPolicy: calico`), its version follows the
         * Kubernetes version, and only the internal crd.projectcalico.org/v1 API exists. `self-managed`: the cluster
         * has `networkPolicy: none` and this stack installs the Tigera operator at a pinned version, with the
         * Calico API server (projectcalico.org/v3: tiers, staged policies), Goldmane and Whisker (docs/calico-modes.md).
         */
        calico: z
            .strictObject({
                mode: z.enum(["aks-managed", "self-managed"]).default("aks-managed"),
                /** The Calico release to pin in self-managed mode, e.g. "3.33.1" (core/calico/calicoReleases.ts). */
                version: z.string().optional(),
            })
            .default({ mode: "aks-managed" }),
        /**
         * AKS LocalDNS on the node pools (pods then resolve through 169.254.10.10/11). Needs Kubernetes 1.31+ and
         * at least 4 vCPUs per node; turning it on or off reimages every node of every pool.
         */
        localDns: z.boolean().default(false),
        /** Container Insights add-on, sending container logs to the workspace. */
        monitoringAddon: z.boolean().default(true),
        /** Azure Policy add-on (Gatekeeper). */
        azurePolicyAddon: z.boolean().default(false),
        /**
         * Kind of identity that runs `pulumi up`, for its cluster-admin role assignment. Derived from the Azure
         * access token when unset; set it when the derivation is wrong for your login (managed identities are ServicePrincipal).
         */
        deployerPrincipalType: z.enum(["User", "ServicePrincipal"]).optional(),
    }),
    firewall: z.strictObject({
        /** Azure Firewall SKU tier. Premium enables IDPS. */
        tier: z.enum(["Basic", "Standard", "Premium"]),
        /** What threat intelligence does with known-bad addresses. */
        threatIntelMode: z.enum(["Off", "Alert", "Deny"]),
        /** IDPS mode, Premium only. */
        idpsMode: z.enum(["Off", "Alert", "Deny"]).optional(),
        /** Frontend public IPs; more IPs mean more SNAT ports (docs suggest >= 20 for large production clusters). */
        publicIpCount: count(1, 250).default(1),
        /** Availability zones for the firewall and its public IPs. */
        zones: z.array(zone).default([]),
    }),
    egress: z
        .strictObject({
            /** Cluster-wide FQDN allowlist on the firewall (workload allowlists from `segmentation` are added to it). */
            fqdns: z.array(fqdnRuleSchema).default([]),
        })
        .default({ fqdns: [] }),
    /** East-west intent: namespaces, workloads, flows and egress. */
    segmentation: intentSchema.optional(),
});

type RawStackConfig = z.output<typeof stackConfigSchema>;

/** The validated, typed model of one stack's config. */
export interface StackConfig extends Omit<RawStackConfig, "protect" | "egress" | "segmentation" | "cluster"> {
    readonly cluster: Omit<RawStackConfig["cluster"], "maintenance" | "networkPolicy" | "calico"> & {
        /** Both windows, the stack's or its environment's defaults. */
        readonly maintenance: Readonly<Record<MaintenanceWindowName, MaintenanceWindow>>;
        /** The engine AKS installs: explicit, or derived from the Calico mode. */
        readonly networkPolicy: "calico" | "cilium" | "none";
        readonly calico: CalicoSettings;
    };
    /** Protect stateful resources from deletion. */
    readonly protect: boolean;
    /** Name of the stack (dev, prod, ...). */
    readonly stack: string;
    readonly egress: { readonly fqdns: readonly FqdnRule[] };
    /** Validated east-west intent; undefined when the stack declares none. */
    readonly segmentation: SegmentationIntent | undefined;
    /** The system namespaces that exist on this cluster, given its add-ons (core/calico/systemNamespaces.ts). */
    readonly exemptNamespaces: readonly string[];
}

/** How Calico runs on the cluster. */
export type CalicoSettings =
    | { readonly mode: "aks-managed" }
    | { readonly mode: "self-managed"; readonly release: CalicoRelease };

/** AKS reserves these ranges; pod and service CIDRs must avoid them (AKS docs, "Configure Azure CNI Overlay networking"). */
const AKS_RESERVED_RANGES = ["169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"];

/** Azure keeps 5 addresses of every subnet (first four and last). */
const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Options of readStackConfig. */
export interface ReadStackConfigOptions {
    /**
     * The day (ISO) on which Kubernetes version support is judged: a version past its end of life is refused. The
     * program and the plan pass the day they run on (or a fixed one); it decides a refusal, never a resource.
     * Defaults to the day the AKS calendar was read.
     */
    readonly today?: string;
}

/**
 * Validates stack config values (keyed without the project prefix, values already JSON-decoded)
 * into a typed model. Throws ConfigError naming every bad key; returns only when all is well.
 */
export function readStackConfig(values: Record<string, unknown>, stack: string, options: ReadStackConfigOptions = {}): StackConfig {
    const problems = new ProblemList();
    const parsed = stackConfigSchema.safeParse(values, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            for (const problem of describeIssueAt(issue, issue.path)) {
                problems.add(configPath(problem.path), problem.message);
            }
        }
        problems.throwIfAny((path) => namedConfigPath(path, values));
        throw new Error("unreachable: schema failed without issues");
    }
    const raw = parsed.data;
    checkLocation(raw, problems);
    checkKubernetesVersion(raw, options.today ?? AKS_VERSION_CALENDAR_READ_ON, problems);
    checkNetwork(raw, problems);
    checkFirewall(raw, problems);
    checkApiServer(raw, problems);
    checkNodePools(raw, problems);
    const calico = calicoSettings(raw, problems);
    const fqdns = normaliseFqdnRules(raw.egress.fqdns, `${PROJECT}:egress.fqdns`, problems);
    const facts = clusterNetworkFacts(raw, calico?.mode ?? "aks-managed");
    const segmentation = raw.segmentation ? validateIntent(raw.segmentation, facts, problems) : undefined;
    if (segmentation) {
        // A segmentation nothing enforces would plan, and pass its own check, while the cluster stays open.
        const unenforced = policyEnforcementProblem(segmentation.cluster);
        if (unenforced) problems.add(NETWORK_POLICY_PATH, unenforced);
    }
    // Errors name list elements by their names (namespaces[shop], not namespaces[1]).
    problems.throwIfAny((path) => namedConfigPath(path, values));
    const defaults = DEFAULT_MAINTENANCE_WINDOWS[raw.environment];
    return {
        ...raw,
        cluster: {
            ...raw.cluster,
            networkPolicy: raw.cluster.networkPolicy ?? (calico!.mode === "self-managed" ? "none" : "calico"),
            calico: calico!,
            maintenance: {
                kubernetesUpgrades: raw.cluster.maintenance.kubernetesUpgrades ?? defaults.kubernetesUpgrades,
                nodeImageUpgrades: raw.cluster.maintenance.nodeImageUpgrades ?? defaults.nodeImageUpgrades,
            },
        },
        stack,
        protect: raw.protect ?? raw.environment === "prod",
        egress: { fqdns },
        segmentation,
        exemptNamespaces: facts.exemptNamespaces,
    };
}

/** The cluster facts the policies depend on, from the raw config. */
function clusterNetworkFacts(raw: RawStackConfig, calicoMode: "aks-managed" | "self-managed"): ClusterNetworkFacts {
    // This stack turns on no add-on with namespaces of its own besides Azure Policy (Gatekeeper).
    const addons: AksAddon[] = raw.cluster.azurePolicyAddon ? ["azurePolicy"] : [];
    return {
        podCidr: raw.cluster.podCidr,
        serviceCidr: raw.cluster.serviceCidr,
        vnetCidr: raw.network.vnetCidr,
        localDns: raw.cluster.localDns,
        networkPolicy: raw.cluster.networkPolicy ?? (calicoMode === "self-managed" ? "none" : "calico"),
        calicoMode,
        exemptNamespaces: exemptNamespaces(addons),
    };
}

/** Formats a schema path as the user writes it: `aks-zero-trust:cluster.userPools[0].name`. */
export function configPath(path: readonly PropertyKey[]): string {
    let text = PROJECT;
    path.forEach((part, index) => {
        if (typeof part === "number") {
            text += `[${part}]`;
        } else {
            text += index === 0 ? `:${String(part)}` : `.${String(part)}`;
        }
    });
    return text;
}

/**
 * A union that failed is described by the branch the value was written for (the one it has the type of): a port
 * `{port: 80, protocol: tcp}` is an object port with a bad protocol, not "Invalid input". When the value has none of
 * the branches' types, the union's own message says what is expected.
 */
function describeIssueAt(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): Array<{ path: readonly PropertyKey[]; message: string }> {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) {
        return [{ path, message: describeIssue(issue, path) }];
    }
    const typeMismatch = (inner: z.core.$ZodIssue) => inner.code === "invalid_type" && inner.path.length === 0;
    const meantFor = issue.errors.filter((branch) => !branch.some(typeMismatch));
    if (meantFor.length === 1) {
        return meantFor[0].flatMap((inner) => describeIssueAt(inner, [...path, ...inner.path]));
    }
    const found = issue.input !== undefined ? `, got ${JSON.stringify(issue.input)}` : "";
    const expected = [...new Set(issue.errors.flat().filter(typeMismatch).map((inner) => typeInWords((inner as z.core.$ZodIssueInvalidType).expected)))];
    // zod's default union message is "Invalid input"; a schema that says more gets its own words printed.
    const message = issue.message && issue.message !== "Invalid input" ? issue.message : `expected ${expected.join(" or ")}`;
    return [{ path, message: `${message}${found}` }];
}

function describeIssue(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): string {
    const found = "input" in issue && issue.input !== undefined ? `, got ${JSON.stringify(issue.input)}` : "";
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = knownKeysAt(path);
            const nearest = issue.keys.length === 1 ? nearestName(issue.keys[0]!, known) : undefined;
            const suffix = nearest ? ` (did you mean "${nearest}"?)` : known.length > 0 ? ` (expected one of: ${known.join(", ")})` : "";
            return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}${suffix}`;
        }
        case "invalid_type": {
            if (issue.input === undefined) return `is required (expected ${typeInWords(issue.expected)})`;
            // `cidrs: [0.0.0.0/0]` is an object written as a scalar: say which keys the object takes.
            const keys = issue.expected === "object" ? knownKeysAt(path) : [];
            return keys.length > 0 ? `expected a mapping {${keys.join(", ")}}${found}` : `expected ${typeInWords(issue.expected)}${found}`;
        }
        case "invalid_value":
            return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}${found}`;
        case "too_big":
            return issue.origin === "array" ? `expected at most ${issue.maximum} items` : `expected at most ${issue.maximum}${found}`;
        case "too_small":
            return issue.origin === "array" ? `expected at least ${issue.minimum} item(s)` : `expected at least ${issue.minimum}${found}`;
        case "invalid_format":
            // A pattern check carries the schema's own hint ("expected a version such as 1.33"), not "expected regex".
            if (issue.format === "regex") return `${issue.message}${found}`;
            return `expected ${issue.format === "uuid" ? "a GUID such as 00000000-0000-0000-0000-000000000000" : issue.format}${found}`;
        case "custom":
            return issue.message;
        default:
            return `${issue.message}${found}`;
    }
}

/** A schema type as a YAML writer knows it ("expected a list", not "expected array"). */
function typeInWords(expected: string): string {
    const words: Record<string, string> = {
        string: "text",
        number: "a number",
        int: "a whole number",
        boolean: "true or false",
        array: "a list",
        object: "a mapping (key: value)",
        record: "a mapping (key: value)",
        map: "a mapping (key: value)",
        null: "nothing",
    };
    return words[expected] ?? expected;
}

/** The keys the schema accepts at a path, for "did you mean" help on unknown keys. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
    let schema: unknown = stackConfigSchema;
    for (const part of path) {
        schema = unwrap(schema);
        if (typeof part === "number") {
            schema = (schema as { element?: unknown }).element;
        } else {
            schema = (schema as { shape?: Record<string, unknown> }).shape?.[String(part)];
        }
    }
    const shape = (unwrap(schema) as { shape?: Record<string, unknown> } | undefined)?.shape;
    return shape ? Object.keys(shape).sort() : [];
}

function unwrap(schema: unknown): unknown {
    let current = schema as { unwrap?: () => unknown; def?: { innerType?: unknown } } | undefined;
    while (current?.def?.innerType !== undefined) {
        current = current.def.innerType as typeof current;
    }
    return current;
}

function checkNetwork(config: RawStackConfig, problems: ProblemList): void {
    const { network, cluster } = config;
    const vnet = parseIpv4Block(network.vnetCidr);
    const subnets: Array<{ key: string; block: Ipv4Block; minimumPrefix?: number; why?: string }> = [
        { key: "network.firewallSubnetCidr", block: parseIpv4Block(network.firewallSubnetCidr), minimumPrefix: 26, why: "AzureFirewallSubnet must be at least a /26" },
        { key: "network.nodeSubnetCidr", block: parseIpv4Block(network.nodeSubnetCidr) },
    ];
    if (network.firewallManagementSubnetCidr) {
        subnets.push({ key: "network.firewallManagementSubnetCidr", block: parseIpv4Block(network.firewallManagementSubnetCidr), minimumPrefix: 26, why: "AzureFirewallManagementSubnet must be at least a /26" });
    }
    for (const subnet of subnets) {
        if (!contains(vnet, subnet.block)) {
            problems.add(configPath(subnet.key.split(".")), `${subnet.block.cidr} lies outside the VNet ${vnet.cidr} (network.vnetCidr)`);
        }
        if (subnet.minimumPrefix !== undefined && subnet.block.prefix > subnet.minimumPrefix) {
            problems.add(configPath(subnet.key.split(".")), `${subnet.block.cidr} is too small: ${subnet.why}`);
        }
    }
    for (let i = 0; i < subnets.length; i++) {
        for (let j = i + 1; j < subnets.length; j++) {
            if (overlaps(subnets[i].block, subnets[j].block)) {
                problems.add(configPath(subnets[j].key.split(".")), `${subnets[j].block.cidr} overlaps ${subnets[i].key} ${subnets[i].block.cidr}`);
            }
        }
    }

    const pod = parseIpv4Block(cluster.podCidr);
    const service = parseIpv4Block(cluster.serviceCidr);
    if (overlaps(pod, vnet)) {
        problems.add(configPath(["cluster", "podCidr"]), `${pod.cidr} overlaps the VNet ${vnet.cidr} (network.vnetCidr); overlay pod CIDRs must be outside the VNet`);
    }
    if (overlaps(service, vnet)) {
        problems.add(configPath(["cluster", "serviceCidr"]), `${service.cidr} overlaps the VNet ${vnet.cidr} (network.vnetCidr)`);
    }
    if (overlaps(service, pod)) {
        problems.add(configPath(["cluster", "serviceCidr"]), `${service.cidr} overlaps the pod CIDR ${pod.cidr} (cluster.podCidr)`);
    }
    // AKS docs, "Configure Azure CNI Overlay networking": the service CIDR must be smaller than /12.
    if (service.prefix <= 12) {
        problems.add(configPath(["cluster", "serviceCidr"]), `${service.cidr} is too large: AKS requires a service CIDR smaller than /12`);
    }
    for (const reserved of AKS_RESERVED_RANGES.map(parseIpv4Block)) {
        if (overlaps(pod, reserved)) {
            problems.add(configPath(["cluster", "podCidr"]), `${pod.cidr} overlaps ${reserved.cidr}, which AKS reserves`);
        }
        if (overlaps(service, reserved)) {
            problems.add(configPath(["cluster", "serviceCidr"]), `${service.cidr} overlaps ${reserved.cidr}, which AKS reserves`);
        }
    }
    const dns = ipv4ToNumber(cluster.dnsServiceIp);
    if (!containsAddress(service, dns)) {
        problems.add(configPath(["cluster", "dnsServiceIp"]), `${cluster.dnsServiceIp} is outside the service CIDR ${service.cidr} (cluster.serviceCidr)`);
    } else if (dns === service.first || dns === service.first + 1 || dns === service.last) {
        // The first usable service address is taken by kubernetes.default (AKS docs, "Configure Azure CNI networking").
        problems.add(configPath(["cluster", "dnsServiceIp"]), `${cluster.dnsServiceIp} is the network, broadcast or kubernetes service address of ${service.cidr}; use e.g. the .10 address`);
    }
}

function checkFirewall(config: RawStackConfig, problems: ProblemList): void {
    const { firewall } = config;
    if (firewall.idpsMode !== undefined && firewall.tier !== "Premium") {
        problems.add(configPath(["firewall", "idpsMode"]), `IDPS needs firewall.tier Premium, but the tier is ${firewall.tier}`);
    }
    // Azure Firewall docs, "Azure Firewall Basic features" (learn.microsoft.com/azure/firewall/basic-features, read
    // 2026-12-01): Basic lists no DNS proxy and no FQDNs in network rules, "threat intelligence in alert mode" only,
    // and multiple public IP addresses. This design needs the DNS proxy: the VNet resolves through the firewall,
    // and `ntp.ubuntu.com` is an FQDN network rule. So Basic is refused rather than built without them.
    if (firewall.tier === "Basic") {
        problems.add(configPath(["firewall", "tier"]), "Basic is not supported: Azure Firewall Basic has no DNS proxy, which the VNet's DNS and the FQDN network rules need; use Standard or Premium");
        if (firewall.threatIntelMode !== "Alert") {
            problems.add(configPath(["firewall", "threatIntelMode"]), `Azure Firewall Basic runs threat intelligence in Alert mode only, got ${JSON.stringify(firewall.threatIntelMode)}`);
        }
    }
}

function checkLocation(config: RawStackConfig, problems: ProblemList): void {
    if (!isAzureRegion(config.location)) {
        const like = regionsLike(config.location);
        const hint = like.length > 0 ? `; did you mean ${like.map((region) => JSON.stringify(region)).join(" or ")}?` : " (see core/azure/azureRegions.ts)";
        problems.add(configPath(["location"]), `${JSON.stringify(config.location)} is not an Azure region${hint}`);
    }
}

/**
 * The Calico mode and, when self-managed, the pinned release from the supported list (core/calico/calicoReleases.ts).
 * Self-managed needs AKS to install no engine of its own (Tigera's AKS guide: `--network-policy none`).
 */
function calicoSettings(config: RawStackConfig, problems: ProblemList): CalicoSettings | undefined {
    const { mode, version } = config.cluster.calico;
    const versionKey = configPath(["cluster", "calico", "version"]);
    if (mode === "aks-managed") {
        if (version !== undefined) problems.add(versionKey, `is set, but in aks-managed mode AKS installs Calico and its version follows the Kubernetes version; remove it, or set cluster.calico.mode to self-managed`);
        return { mode };
    }
    if (config.cluster.networkPolicy !== undefined && config.cluster.networkPolicy !== "none") {
        problems.add(configPath(["cluster", "networkPolicy"]), `is ${JSON.stringify(config.cluster.networkPolicy)}, but self-managed Calico needs AKS to install no policy engine (Tigera's AKS guide: --network-policy none); remove it or set "none"`);
    }
    const supported = CALICO_RELEASES.map((release) => release.version).join(", ");
    if (version === undefined) {
        problems.add(versionKey, `is required in self-managed mode: pin one of the supported Calico releases (${supported}; read ${CALICO_RELEASES_READ_ON})`);
        return undefined;
    }
    const release = calicoRelease(version);
    if (!release) {
        problems.add(versionKey, `${JSON.stringify(version)} is not a supported Calico release (expected one of ${supported}, from 3.30 on: tiers with defaultAction, staged policies, Goldmane; list read ${CALICO_RELEASES_READ_ON})`);
        return undefined;
    }
    return { mode, release };
}

/**
 * AKS creates no clusters or node pools on a version past its end of standard support (core/azure/aksVersions.ts),
 * judged on `today`. Only `major.minor`: with the `patch` auto-upgrade channel AKS raises the patch itself, a refresh
 * then brings the new patch into the state, and the next `pulumi up` would ask AKS to go back to the pinned one.
 */
function checkKubernetesVersion(config: RawStackConfig, today: string, problems: ProblemList): void {
    const version = config.cluster.kubernetesVersion;
    const key = configPath(["cluster", "kubernetesVersion"]);
    const [major, minor, patch] = version.split(".");
    if (patch !== undefined) {
        problems.add(key, `${version} pins a patch version, but the cluster auto-upgrades on the ${CLUSTER_UPGRADE_CHANNEL} channel: AKS moves to newer patches itself and the next pulumi up would ask for a downgrade; write "${major}.${minor}"`);
        return;
    }
    const judgement = judgeVersionSupport(version, today);
    if (judgement.level === "error") {
        problems.add(key, judgement.message);
    }
}

function checkApiServer(config: RawStackConfig, problems: ProblemList): void {
    const { apiServer } = config.cluster;
    apiServer.authorizedIpRanges.forEach((range, index) => {
        if (parseIpv4Block(range).prefix === 0) {
            problems.add(configPath(["cluster", "apiServer", "authorizedIpRanges", index]), `${range} would open the API server to the whole internet`);
        }
    });
    if (apiServer.privateCluster && apiServer.authorizedIpRanges.length > 0) {
        problems.add(configPath(["cluster", "apiServer", "authorizedIpRanges"]), "authorized IP ranges apply to public API servers only; remove them or set privateCluster to false");
    }
    if (config.environment === "prod" && !apiServer.privateCluster && apiServer.authorizedIpRanges.length === 0) {
        problems.add(configPath(["cluster", "apiServer"]), "prod must restrict the API server: set privateCluster: true or list authorizedIpRanges");
    }
    // AKS baseline: a break-glass Entra ID group keeps cluster admin when the deploying identity is gone.
    if (config.environment === "prod" && config.cluster.adminGroupObjectIds.length === 0) {
        problems.add(configPath(["cluster", "adminGroupObjectIds"]), "prod needs at least one Entra ID admin group (break-glass access through Azure RBAC)");
    }
}

function checkNodePools(config: RawStackConfig, problems: ProblemList): void {
    const { cluster, network } = config;
    const pools = [
        { key: ["cluster", "systemPool"], pool: cluster.systemPool },
        ...cluster.userPools.map((pool, index) => ({ key: ["cluster", "userPools", index], pool })),
    ];
    for (const { key, pool } of pools) {
        if (pool.minCount > pool.maxCount) {
            problems.add(configPath([...key, "minCount"]), `minCount ${pool.minCount} is greater than maxCount ${pool.maxCount}`);
        }
    }
    checkSystemPoolMinimums(cluster.systemPool, problems);
    if (cluster.localDns) {
        checkLocalDnsRequirements(config, pools, problems);
    }
    const names = new Set<string>(["system"]);
    cluster.userPools.forEach((pool, index) => {
        if (names.has(pool.name)) {
            problems.add(configPath(["cluster", "userPools", index, "name"]), `duplicate node pool name "${pool.name}"`);
        }
        names.add(pool.name);
    });
    // One surge node per pool during upgrades; Azure keeps 5 addresses of each subnet.
    const nodesNeeded = pools.reduce((sum, { pool }) => sum + pool.maxCount + 1, 0);
    const nodeSubnet = parseIpv4Block(network.nodeSubnetCidr);
    const usable = blockSize(nodeSubnet) - AZURE_RESERVED_ADDRESSES_PER_SUBNET;
    if (usable < nodesNeeded) {
        problems.add(configPath(["network", "nodeSubnetCidr"]), `${nodeSubnet.cidr} is too small: ${Math.max(usable, 0)} usable addresses, but the node pools can grow to ${nodesNeeded} nodes including upgrade surge`);
    }
    // Overlay gives every node a /24 of the pod CIDR (AKS docs, "Azure CNI Overlay").
    const pod = parseIpv4Block(cluster.podCidr);
    const nodeRanges = pod.prefix <= 24 ? 2 ** (24 - pod.prefix) : 0;
    if (nodeRanges < nodesNeeded) {
        problems.add(configPath(["cluster", "podCidr"]), `${pod.cidr} is too small: it holds ${nodeRanges} node /24 range${nodeRanges === 1 ? "" : "s"}, but the node pools can grow to ${nodesNeeded} nodes`);
    }
}

/**
 * A system pool's minimums (AKS docs, "Manage system node pools in AKS", use-system-pools.md, ms.date 04/30/2026, read
 * 2026-12-07): "System node pools must support at least 30 pods", "System pools must contain at least two nodes but
 * the recommendation is three nodes", "System node pools require a VM SKU of at least 4 vCPUs and 4 GB of memory",
 * "B series VMs aren't supported for system node pools".
 */
const SYSTEM_POOL_MIN_MAX_PODS = 30;
const SYSTEM_POOL_MIN_NODES = 2;
const SYSTEM_POOL_MIN_VCPUS = 4;
const SYSTEM_POOL_MIN_MEMORY_GIB = 4;

function checkSystemPoolMinimums(pool: RawStackConfig["cluster"]["systemPool"], problems: ProblemList): void {
    if (pool.maxPods < SYSTEM_POOL_MIN_MAX_PODS) {
        problems.add(configPath(["cluster", "systemPool", "maxPods"]), `AKS requires a system pool to run at least ${SYSTEM_POOL_MIN_MAX_PODS} pods per node, got ${pool.maxPods}`);
    }
    if (pool.minCount < SYSTEM_POOL_MIN_NODES) {
        problems.add(configPath(["cluster", "systemPool", "minCount"]), `AKS requires a system pool of at least ${SYSTEM_POOL_MIN_NODES} nodes (three recommended), got ${pool.minCount}`);
    }
    const capacity = vmSizeCapacity(pool.vmSize);
    const key = configPath(["cluster", "systemPool", "vmSize"]);
    if (/^Standard_B/i.test(pool.vmSize)) {
        problems.add(key, `${pool.vmSize} is a B-series size, which AKS does not support for system pools; use e.g. Standard_D4ds_v5`);
    } else if (!capacity) {
        problems.add(key, `cannot read vCPUs and memory from ${JSON.stringify(pool.vmSize)}; use one of ${READABLE_VM_FAMILIES}, e.g. Standard_D4ds_v5`);
    } else if (capacity.vcpus < SYSTEM_POOL_MIN_VCPUS || capacity.memoryGiB < SYSTEM_POOL_MIN_MEMORY_GIB) {
        problems.add(key, `${pool.vmSize} has ${capacity.vcpus} vCPU and ${capacity.memoryGiB} GiB; AKS requires at least ${SYSTEM_POOL_MIN_VCPUS} vCPUs and ${SYSTEM_POOL_MIN_MEMORY_GIB} GiB for a system pool; use a size such as ${largerVmSize(pool.vmSize, SYSTEM_POOL_MIN_VCPUS)}`);
    }
}

/**
 * LocalDNS needs Kubernetes 1.31+, node pools on Azure Linux or Ubuntu 22.04+ (the pools here use AKS's default
 * Linux OS SKU, Ubuntu) and VM sizes with at least 4 vCPUs (AKS docs, "Configure LocalDNS in AKS", prerequisites).
 */
const LOCAL_DNS_MIN_VCPUS = 4;
const LOCAL_DNS_MIN_KUBERNETES = [1, 31];

/** The same VM family with `vcpus` vCPUs (Standard_D2ds_v5 -> Standard_D4ds_v5) when that size is readable, else a common one. */
function largerVmSize(vmSize: string, vcpus: number): string {
    const candidate = vmSize.replace(/^(Standard_[A-Za-z]+)\d+/, `$1${vcpus}`);
    return candidate !== vmSize && (vmSizeCapacity(candidate)?.vcpus ?? 0) >= vcpus ? candidate : "Standard_D4ds_v5";
}

function checkLocalDnsRequirements(config: RawStackConfig, pools: Array<{ key: Array<string | number>; pool: { vmSize: string } }>, problems: ProblemList): void {
    const [major, minor] = config.cluster.kubernetesVersion.split(".").map(Number);
    if (major < LOCAL_DNS_MIN_KUBERNETES[0] || (major === LOCAL_DNS_MIN_KUBERNETES[0] && minor < LOCAL_DNS_MIN_KUBERNETES[1])) {
        problems.add(configPath(["cluster", "localDns"]), `LocalDNS needs Kubernetes ${LOCAL_DNS_MIN_KUBERNETES.join(".")} or later, but cluster.kubernetesVersion is ${config.cluster.kubernetesVersion}`);
    }
    for (const { key, pool } of pools) {
        const capacity = vmSizeCapacity(pool.vmSize);
        if (!capacity) {
            problems.add(configPath([...key, "vmSize"]), `cannot read vCPUs from ${JSON.stringify(pool.vmSize)} to check LocalDNS's minimum of ${LOCAL_DNS_MIN_VCPUS} vCPUs; use one of ${READABLE_VM_FAMILIES}`);
        } else if (capacity.vcpus < LOCAL_DNS_MIN_VCPUS) {
            problems.add(configPath([...key, "vmSize"]), `${pool.vmSize} has ${capacity.vcpus} vCPUs; cluster.localDns needs at least ${LOCAL_DNS_MIN_VCPUS} vCPUs per node: use a size such as ${largerVmSize(pool.vmSize, LOCAL_DNS_MIN_VCPUS)} for this pool, or leave localDns off`);
        }
    }
}
