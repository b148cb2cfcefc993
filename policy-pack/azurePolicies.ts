/**
 * The north-south boundary and the cluster, checked resource by resource: AKS networking and API server
 * access, the firewall policy and its rules, the egress route, and (stack-wide) protected prod state.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { SUPPORT_ENDING_WARNING_DAYS, calendarStaleness, minorOf, supportedMinorVersions, versionSupport } from "../core/azure";
import { ENVIRONMENT_CONFIG_PROPERTY, PackContext, resolveEnvironment, todayUtc } from "./environment";
import { UNKNOWN, asList, at, isEverywhere, knownProps, sameText, shown } from "./values";

/** Whether a type token is an azure-native resource, with or without an API version in the module (`network/v20240301`). */
export function isAzureType(type: string, module: string, kind: string): boolean {
    const [provider, typeModule, typeKind] = type.split(":");
    return provider === "azure-native" && typeKind === kind && (typeModule === module || typeModule?.startsWith(`${module}/`) === true);
}

export const AKS_NETWORK_PROFILE = "aks-network-profile";
export const AKS_API_SERVER_ACCESS = "aks-api-server-access";
export const AKS_API_SERVER_RESTRICTED_IN_DEV = "aks-api-server-restricted-in-dev";
export const AKS_KUBERNETES_VERSION_SUPPORT = "aks-kubernetes-version-support";
export const FIREWALL_POLICY_DNS_PROXY_THREAT_INTEL = "firewall-policy-dns-proxy-threat-intel";
export const FIREWALL_RULES_NO_WILDCARDS = "firewall-rules-no-wildcards";
export const ROUTE_DEFAULT_VIA_FIREWALL = "route-default-via-firewall";
export const PROD_STATEFUL_RESOURCES_PROTECTED = "prod-stateful-resources-protected";

/** AKS: Azure CNI overlay, a network policy engine, and egress only through the firewall's route. */
export function aksNetworkProfilePolicy(): ResourceValidationPolicy {
    return {
        name: AKS_NETWORK_PROFILE,
        description: "AKS uses Azure CNI overlay with Calico (AKS-managed, or none for self-managed Calico) or Cilium network policy, and egresses through the firewall (outboundType userDefinedRouting).",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Set networkProfile.networkPlugin azure, networkPluginMode overlay, networkPolicy calico (none with self-managed Calico; or networkDataplane and networkPolicy cilium) and outboundType userDefinedRouting.",
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "containerservice", "ManagedCluster")) return;
            const profile = at(knownProps(args.props), "networkProfile");
            if (profile === UNKNOWN) return;
            const field = (name: string) => at(profile, name);
            const plugin = field("networkPlugin");
            if (plugin !== UNKNOWN && !sameText(plugin, "azure")) {
                reportViolation(`networkProfile.networkPlugin is ${shown(plugin)}, expected "azure": pods need Azure CNI (overlay) for the cluster's network design. Set networkProfile.networkPlugin to "azure".`);
            }
            const mode = field("networkPluginMode");
            if (mode !== UNKNOWN && !sameText(mode, "overlay")) {
                reportViolation(`networkProfile.networkPluginMode is ${shown(mode)}, expected "overlay": pod addresses must come from the overlay pod CIDR, not the VNet. Set networkProfile.networkPluginMode to "overlay".`);
            }
            const engine = field("networkPolicy");
            const dataplane = field("networkDataplane");
            // "none" is self-managed Calico's setting; the calico-mode policy checks that Calico is then installed.
            if (engine !== UNKNOWN && dataplane !== UNKNOWN && !sameText(engine, "calico") && !sameText(engine, "none") && !sameText(dataplane, "cilium")) {
                reportViolation(`networkProfile.networkPolicy is ${shown(engine)}: it does not enforce the namespace policy sets' Calico policies. Set networkProfile.networkPolicy to "calico" (or "none" with self-managed Calico, stack config cluster.calico.mode), or networkDataplane and networkPolicy to "cilium".`);
            }
            const outbound = field("outboundType");
            if (outbound !== UNKNOWN && !sameText(outbound, "userDefinedRouting")) {
                reportViolation(`networkProfile.outboundType is ${shown(outbound)}, expected "userDefinedRouting": egress would bypass the Azure Firewall. Set networkProfile.outboundType to "userDefinedRouting" and route 0.0.0.0/0 to the firewall.`);
            }
        },
    };
}

/** AKS API server: never open to the whole internet; in prod, Entra ID only and a private or IP-restricted endpoint. */
export function aksApiServerAccessPolicy(context: PackContext): ResourceValidationPolicy {
    return {
        name: AKS_API_SERVER_ACCESS,
        description: "The AKS API server is never open to 0.0.0.0/0; in prod, local accounts are disabled and the API server is private or limited to authorized IP ranges.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Remove 0.0.0.0/0 from apiServerAccessProfile.authorizedIPRanges; in prod set disableLocalAccounts true and either apiServerAccessProfile.enablePrivateCluster true or authorizedIPRanges (stack config cluster.apiServer).",
        configSchema: { properties: { environment: ENVIRONMENT_CONFIG_PROPERTY } },
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "containerservice", "ManagedCluster")) return;
            const props = knownProps(args.props);
            const ranges = asList(at(props, "apiServerAccessProfile", "authorizedIPRanges"));
            if (ranges !== UNKNOWN) {
                for (const range of ranges.filter(isEverywhere)) {
                    reportViolation(`apiServerAccessProfile.authorizedIPRanges contains ${shown(range)}, which opens the API server to the whole internet. List only your operators' and CI runners' ranges (stack config cluster.apiServer.authorizedIpRanges).`);
                }
            }
            if (environmentOf(args, props, context) !== "prod") return;
            const localAccounts = at(props, "disableLocalAccounts");
            if (localAccounts !== UNKNOWN && localAccounts !== true) {
                reportViolation(`disableLocalAccounts is ${shown(localAccounts)}: in prod only Entra ID identities may reach the API server. Set disableLocalAccounts to true (stack config cluster.disableLocalAccounts).`);
            }
            if (isPublicWithoutAuthorizedRanges(props)) {
                reportViolation("the API server is public and has no authorized IP ranges: in prod it must be private or restricted. Set apiServerAccessProfile.enablePrivateCluster to true or list authorizedIPRanges (stack config cluster.apiServer).");
            }
        },
    };
}

/** Dev too: a public API server with no authorized ranges is reachable by anyone who steals a credential. Advisory. */
export function aksApiServerRestrictedInDevPolicy(context: PackContext): ResourceValidationPolicy {
    return {
        name: AKS_API_SERVER_RESTRICTED_IN_DEV,
        description: "Outside prod, the AKS API server should still be private or limited to authorized IP ranges (advisory).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "List your operators' and CI runners' egress ranges in stack config cluster.apiServer.authorizedIpRanges, or set cluster.apiServer.privateCluster to true.",
        configSchema: { properties: { environment: ENVIRONMENT_CONFIG_PROPERTY } },
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "containerservice", "ManagedCluster")) return;
            const props = knownProps(args.props);
            if (environmentOf(args, props, context) === "prod") return;
            if (isPublicWithoutAuthorizedRanges(props)) {
                reportViolation("the API server is public and open to the whole internet (no authorized IP ranges). List authorizedIPRanges (stack config cluster.apiServer.authorizedIpRanges) or make the cluster private.");
            }
        },
    };
}

/**
 * The pinned Kubernetes version against AKS's calendar (core/azure/aksVersions.ts) on the day the pack runs
 * (SOURCE_DATE_EPOCH for a fixed day): advisory, because the date moves while the stack stays the same. It warns from
 * 90 days before end of life, and when the calendar itself is more than about four months old. After end of life the
 * program's validation refuses the version on the same day, so preview, up and the drift check fail.
 */
export function aksKubernetesVersionSupportPolicy(context: PackContext): ResourceValidationPolicy {
    return {
        name: AKS_KUBERNETES_VERSION_SUPPORT,
        description: `The AKS Kubernetes version is inside AKS standard support and not within ${SUPPORT_ENDING_WARNING_DAYS} days of its end (advisory).`,
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Upgrade: set stack config cluster.kubernetesVersion to a newer supported minor version and run pulumi up (AKS upgrades one minor version at a time).",
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "containerservice", "ManagedCluster")) return;
            const version = at(knownProps(args.props), "kubernetesVersion");
            if (version === UNKNOWN || typeof version !== "string") return;
            const today = (context.today ?? todayUtc)();
            const support = versionSupport(version, today);
            const supported = supportedMinorVersions(today).filter((minor) => minor !== minorOf(version)).join(", ");
            if (support.status === "end-of-life") {
                reportViolation(`kubernetesVersion ${version} left AKS standard support on ${support.endOfLife}: AKS no longer creates clusters on it. Upgrade to one of ${supported} (stack config cluster.kubernetesVersion).`);
            } else if (support.status === "supported" && support.daysLeft <= SUPPORT_ENDING_WARNING_DAYS) {
                reportViolation(`kubernetesVersion ${version} leaves AKS standard support on ${support.endOfLife}, in ${support.daysLeft} days. Plan the upgrade to one of ${supported} (stack config cluster.kubernetesVersion).`);
            }
            const stale = calendarStaleness(today);
            if (stale) {
                reportViolation(`${stale.charAt(0).toUpperCase()}${stale.slice(1)}.`);
            }
        },
    };
}

/** A public API server with no authorized IP ranges; false while either value is unknown (during a preview). */
function isPublicWithoutAuthorizedRanges(props: unknown): boolean {
    const isPrivate = at(props, "apiServerAccessProfile", "enablePrivateCluster");
    const ranges = asList(at(props, "apiServerAccessProfile", "authorizedIPRanges"));
    return isPrivate !== UNKNOWN && isPrivate !== true && ranges !== UNKNOWN && ranges.length === 0;
}

function environmentOf(args: ResourceValidationArgs, props: unknown, context: PackContext) {
    return resolveEnvironment(args.getConfig<{ environment?: string }>().environment, context, [at(props, "tags", "environment")]);
}

/** Firewall policy: DNS proxy on (FQDNs in network rules, nodes resolve through it) and threat intelligence on. */
export function firewallPolicyDnsProxyThreatIntelPolicy(): ResourceValidationPolicy {
    return {
        name: FIREWALL_POLICY_DNS_PROXY_THREAT_INTEL,
        description: "Azure Firewall policies enable the DNS proxy and keep threat intelligence on (Alert or Deny).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Set dnsSettings.enableProxy true and threatIntelMode Alert (dev) or Deny (prod).",
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "network", "FirewallPolicy")) return;
            const props = knownProps(args.props);
            const proxy = at(props, "dnsSettings", "enableProxy");
            if (proxy !== UNKNOWN && proxy !== true) {
                reportViolation(`dnsSettings.enableProxy is ${shown(proxy)}: FQDNs in network rules need the firewall's DNS proxy, and nodes must resolve through it. Set dnsSettings.enableProxy to true.`);
            }
            const threatIntel = at(props, "threatIntelMode");
            if (threatIntel !== UNKNOWN && sameText(threatIntel, "Off")) {
                reportViolation(`threatIntelMode is "Off": traffic to known-malicious addresses and domains would pass unnoticed. Set threatIntelMode to "Alert" (dev) or "Deny" (prod).`);
            }
        },
    };
}

/** Firewall rules: no allow-everything FQDN, destination or source. */
export function firewallRulesNoWildcardsPolicy(): ResourceValidationPolicy {
    return {
        name: FIREWALL_RULES_NO_WILDCARDS,
        description: "Firewall rule collection groups never allow every FQDN (\"*\", \"*.*\"), every destination (\"*\", 0.0.0.0/0) or every source (\"*\", 0.0.0.0/0).",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Replace the wildcard with the exact FQDNs, addresses or service tags the cluster needs (stack config egress.fqdns, segmentation workloads' egress), and use the node subnet as source.",
        validateResource: (args, reportViolation) => {
            if (!isAzureType(args.type, "network", "FirewallPolicyRuleCollectionGroup")) return;
            const collections = asList(at(knownProps(args.props), "ruleCollections"));
            if (collections === UNKNOWN) return;
            collections.forEach((collection, collectionIndex) => {
                const rules = asList(at(collection, "rules"));
                if (rules === UNKNOWN) return;
                const collectionName = at(collection, "name");
                const action = at(collection, "action", "type");
                const allows = action !== UNKNOWN && sameText(action, "Allow");
                rules.forEach((rule, ruleIndex) => {
                    const where = `ruleCollections[${collectionIndex}] ${shown(collectionName)} rule ${shown(at(rule, "name"))}`;
                    checkRule(rule, where, allows, reportViolation);
                });
            });
        },
    };
}

const WILDCARD_FQDNS = new Set(["*", "*.*"]);

function checkRule(rule: unknown, where: string, allows: boolean, reportViolation: ReportViolation): void {
    const values = (field: string) => {
        const list = asList(at(rule, field));
        return list === UNKNOWN ? [] : list;
    };
    for (const field of ["targetFqdns", "destinationFqdns"]) {
        for (const fqdn of values(field).filter((value) => typeof value === "string" && WILDCARD_FQDNS.has(value.trim()))) {
            reportViolation(`${where}: ${field} contains ${shown(fqdn)}, which allows every host name. List the exact FQDNs (a leading "*." label at most, e.g. "*.blob.core.windows.net").`);
        }
    }
    if (allows) {
        for (const address of values("destinationAddresses").filter(isEverywhere)) {
            reportViolation(`${where}: destinationAddresses contains ${shown(address)} in an Allow collection, which allows every destination. List the exact addresses or service tags (e.g. "AzureCloud.westeurope").`);
        }
    }
    for (const address of values("sourceAddresses").filter(isEverywhere)) {
        reportViolation(`${where}: sourceAddresses contains ${shown(address)}, which matches every source. Use the node subnet's CIDR: with overlay, pod traffic reaches the firewall from the node addresses.`);
    }
}

/** Route tables and routes: the default route goes to the firewall (a virtual appliance), never straight out. */
export function routeDefaultViaFirewallPolicy(): ResourceValidationPolicy {
    return {
        name: ROUTE_DEFAULT_VIA_FIREWALL,
        description: "A route for 0.0.0.0/0 has nextHopType VirtualAppliance (the firewall's private IP).",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Route 0.0.0.0/0 to nextHopType VirtualAppliance with nextHopIpAddress set to the firewall's private IP.",
        validateResource: (args, reportViolation) => {
            const props = knownProps(args.props);
            if (isAzureType(args.type, "network", "RouteTable")) {
                const routes = asList(at(props, "routes"));
                if (routes === UNKNOWN) return;
                routes.forEach((route, index) => checkRoute(route, `routes[${index}] ${shown(at(route, "name"))}`, reportViolation));
            } else if (isAzureType(args.type, "network", "Route")) {
                checkRoute(props, `route ${shown(at(props, "routeName") ?? args.name)}`, reportViolation);
            }
        },
    };
}

function checkRoute(route: unknown, where: string, reportViolation: ReportViolation): void {
    const prefix = at(route, "addressPrefix");
    const nextHop = at(route, "nextHopType");
    if (prefix === UNKNOWN || nextHop === UNKNOWN || prefix !== "0.0.0.0/0") return;
    if (!sameText(nextHop, "VirtualAppliance")) {
        reportViolation(`${where} sends 0.0.0.0/0 to ${shown(nextHop)}, bypassing the firewall. Set nextHopType to "VirtualAppliance" and nextHopIpAddress to the firewall's private IP.`);
    }
}

/** The prod resources whose loss loses state or the boundary itself. */
const STATEFUL_TYPES: ReadonlyArray<{ readonly module: string; readonly kind: string }> = [
    { module: "resources", kind: "ResourceGroup" },
    { module: "containerservice", kind: "ManagedCluster" },
    { module: "network", kind: "AzureFirewall" },
    { module: "network", kind: "FirewallPolicy" },
    { module: "operationalinsights", kind: "Workspace" },
];

/** Prod: the resource group, cluster, firewall, firewall policy and workspace are protected from deletion. */
export function prodStatefulResourcesProtectedPolicy(context: PackContext): StackValidationPolicy {
    return {
        name: PROD_STATEFUL_RESOURCES_PROTECTED,
        description: "In prod, the resource group, AKS cluster, Azure Firewall, firewall policy and Log Analytics workspace are protected (`protect: true`).",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Set the resource option protect: true (stack config aks-zero-trust:protect, true by default in prod).",
        configSchema: { properties: { environment: ENVIRONMENT_CONFIG_PROPERTY } },
        validateStack: (args, reportViolation) => {
            const stateful = args.resources.filter((resource) => STATEFUL_TYPES.some(({ module, kind }) => isAzureType(resource.type, module, kind)));
            const tags = args.resources.filter((resource) => resource.type.startsWith("azure-native:")).map((resource) => at(knownProps(resource.props), "tags", "environment"));
            if (resolveEnvironment(args.getConfig<{ environment?: string }>().environment, context, tags) !== "prod") return;
            for (const resource of stateful) {
                if (resource.opts.protect !== true) {
                    const kind = resource.type.split(":")[2];
                    reportViolation(`${kind} ${resource.name} is not protected: in prod it must survive a mistaken destroy or replace. Set protect: true (stack config aks-zero-trust:protect, default true in prod).`, resource.urn);
                }
            }
        },
    };
}
