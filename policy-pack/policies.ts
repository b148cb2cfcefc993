/**
 * The aks-zero-trust policy pack's policies. Pure: building them has no side effects, so tests and the
 * offline plan run them in-process; only index.ts constructs the PolicyPack (which starts a gRPC server).
 *
 * Enforcement levels: security guarantees are mandatory, hygiene (policy budgets) is advisory. Each policy's
 * level, and the `environment` of the environment-aware ones, can be changed in the pack config
 * (`--policy-pack-config`, see policy-config.dev.json).
 */
import type { EnforcementLevel, Policies, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    aksApiServerAccessPolicy,
    aksApiServerRestrictedInDevPolicy,
    aksKubernetesVersionSupportPolicy,
    aksNetworkProfilePolicy,
    firewallPolicyDnsProxyThreatIntelPolicy,
    firewallRulesNoWildcardsPolicy,
    prodStatefulResourcesProtectedPolicy,
    routeDefaultViaFirewallPolicy,
} from "./azurePolicies";
import { calicoModePolicy } from "./calicoPolicies";
import type { PackContext } from "./environment";
import {
    calicoPolicyNotInSystemNamespacesPolicy,
    namespaceDefaultDenyAndDnsPolicy,
    networkPolicyNoOpenIngressPolicy,
    policyBudgetsPolicy,
} from "./kubernetesPolicies";
import { egressNeverOpensPlatformEndpointsPolicy } from "./platformEndpointPolicies";
import { dataTierEgressDnsOnlyPolicy, dataTierIngressAllowlistPolicy, webTierNeverReachesDataTierPolicy } from "./reachabilityPolicies";

export type { EnforcementLevel, Policies, PolicyPackConfig, ResourceValidationPolicy, StackValidationPolicy };
export type {
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
export type { Environment, PackContext } from "./environment";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const POLICY_PACK_NAME = "aks-zero-trust";

/** The level of a policy no config mentions and that sets none itself. */
export const DEFAULT_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

/** Every policy of the pack, resource policies first, in a stable order. */
export function createPolicies(context: PackContext = {}): Policies {
    return [
        aksNetworkProfilePolicy(),
        aksApiServerAccessPolicy(context),
        aksApiServerRestrictedInDevPolicy(context),
        aksKubernetesVersionSupportPolicy(context),
        firewallPolicyDnsProxyThreatIntelPolicy(),
        firewallRulesNoWildcardsPolicy(),
        routeDefaultViaFirewallPolicy(),
        networkPolicyNoOpenIngressPolicy(),
        egressNeverOpensPlatformEndpointsPolicy(),
        calicoPolicyNotInSystemNamespacesPolicy(),
        namespaceDefaultDenyAndDnsPolicy(),
        calicoModePolicy(),
        policyBudgetsPolicy(),
        webTierNeverReachesDataTierPolicy(),
        dataTierEgressDnsOnlyPolicy(),
        dataTierIngressAllowlistPolicy(),
        prodStatefulResourcesProtectedPolicy(context),
    ];
}

/** Whether a policy validates resources one by one (the rest validate the whole stack). */
export function isResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
    return "validateResource" in policy;
}

export {
    AKS_API_SERVER_ACCESS,
    AKS_API_SERVER_RESTRICTED_IN_DEV,
    AKS_KUBERNETES_VERSION_SUPPORT,
    AKS_NETWORK_PROFILE,
    FIREWALL_POLICY_DNS_PROXY_THREAT_INTEL,
    FIREWALL_RULES_NO_WILDCARDS,
    PROD_STATEFUL_RESOURCES_PROTECTED,
    ROUTE_DEFAULT_VIA_FIREWALL,
} from "./azurePolicies";
export { CALICO_MODE } from "./calicoPolicies";
export { CALICO_POLICY_NOT_IN_SYSTEM_NAMESPACES, NAMESPACE_DEFAULT_DENY_AND_DNS, NETWORK_POLICY_NO_OPEN_INGRESS, POLICY_BUDGETS } from "./kubernetesPolicies";
export { EGRESS_NEVER_OPENS_PLATFORM_ENDPOINTS } from "./platformEndpointPolicies";
export { DATA_TIER_EGRESS_DNS_ONLY, DATA_TIER_INGRESS_ALLOWLIST, WEB_TIER_NEVER_REACHES_DATA_TIER, analyseStack } from "./reachabilityPolicies";
export { stackEnvironmentFrom } from "./environment";
