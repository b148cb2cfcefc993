/**
 * The intent on self-managed Calico's `projectcalico.org/v3` API (cluster.calico.mode: self-managed), as ADR 008
 * describes it: a `platform` tier before the default tier holds the cluster's own rules as GlobalNetworkPolicies
 * (the metadata-service guardrail, infrastructure and peers, the API-server allowance and deny, the baseline for
 * undeclared namespaces); namespace sets stay Kubernetes NetworkPolicies in the default tier, with their
 * denied-flow logger as a v3 NetworkPolicy. Audit mode is Calico's preview: what enforcing would add is rendered
 * as staged policies, which Felix evaluates for flow logs only, so nothing allows by a trailing `Allow`.
 *
 * How the platform tier decides (Calico "Get started with policy tiers"; felix/calc policy sorter; the tier's
 * `defaultAction`, api/pkg/apis/projectcalico/v3/tier.go, Calico 3.30+): tiers run in `order`, and inside a tier
 * Allow and Deny end evaluation. Traffic that a platform policy selected but no rule decided meets the tier's
 * `defaultAction`: `Pass` hands it to the next tier (the default tier, order 1,000,000), where the namespace's
 * policies decide. So a platform policy only ever allows or denies what it names, and the guardrail and
 * infrastructure denies come before anything a namespace allows.
 */
import {
    calicoLabelSelector,
    calicoTier,
    calicoV3Policy,
    CalicoPolicySpec,
    CalicoRule,
    DEFAULT_TIER,
    KubeObject,
    stagedKubernetesNetworkPolicy,
} from "../calico";
import { NamespaceIntent, SegmentationIntent } from "../intent";
import { DENY_KUBERNETES_API_RULES, dnsRules, nonSystemNamespaceSelector } from "./calicoRules";
import { metadataGuardrailSpec } from "./metadataGuardrail";
import {
    BASELINE_POLICY,
    KUBERNETES_API,
    MODE_LABEL,
    ORDER_BASELINE,
    ORDER_DENY_KUBERNETES_API,
    ORDER_KUBERNETES_API,
    ORDER_LOG_DENIED,
    POLICY_SET_LABEL,
} from "./conventions";
import { renderInfrastructurePolicies } from "./infrastructurePolicies";
import { NamespacePolicySetPlan, renderNamespacePolicies } from "./namespacePolicies";
import { renderPeerPolicies } from "./peerPolicies";

/** The tier that holds the platform's rules. */
export const PLATFORM_TIER = "platform";
/**
 * Before the default tier (1,000,000) and before Calico's kube-admin tier for AdminNetworkPolicy (1,000;
 * tier.go AdminNetworkPolicyTierOrder): the platform decides first.
 */
export const PLATFORM_TIER_ORDER = 100;
/** The guardrail comes first in the platform tier: nothing the platform allows reaches the metadata service. */
export const ORDER_GUARDRAIL = 10;
/** The metadata-service guardrail. */
export const METADATA_GUARDRAIL_POLICY = "metadata-service-guardrail";

/** What the platform tier and the namespace sets are in self-managed mode. */
export interface SelfManagedPolicies {
    readonly tiers: readonly KubeObject[];
    readonly globalPolicies: readonly KubeObject[];
    readonly namespaces: readonly NamespacePolicySetPlan[];
}

/** Renders the intent for self-managed Calico. Pure and deterministic. */
export function renderSelfManagedPolicies(intent: SegmentationIntent): SelfManagedPolicies {
    const platform = (object: KubeObject): KubeObject => calicoV3Policy("GlobalNetworkPolicy", PLATFORM_TIER, object.metadata.name, object.spec as unknown as CalicoPolicySpec);
    const globalPolicies: KubeObject[] = [
        metadataGuardrail(intent),
        ...renderInfrastructurePolicies(intent).map(platform),
        ...renderPeerPolicies(intent).map(platform),
        ...kubernetesApiPolicies(intent),
        undeclaredKubernetesApiDeny(intent),
        baselinePolicy(intent),
    ];
    return {
        tiers: [calicoTier(PLATFORM_TIER, PLATFORM_TIER_ORDER, "Pass")],
        globalPolicies,
        namespaces: intent.namespaces.map((namespace) => namespaceSet(namespace, intent)),
    };
}

/**
 * Every pod outside the system namespaces: no egress to IMDS or WireServer, in audit mode too (never staged). The
 * same inputs as AKS-managed mode's guardrail (metadataGuardrail.ts), first in the platform tier, whose
 * `defaultAction: Pass` hands everything else to the next tier.
 */
function metadataGuardrail(intent: SegmentationIntent): KubeObject {
    return calicoV3Policy("GlobalNetworkPolicy", PLATFORM_TIER, METADATA_GUARDRAIL_POLICY, { ...metadataGuardrailSpec(intent), order: ORDER_GUARDRAIL });
}

/**
 * The API server: app workloads that declare `kubernetesApi` may call it (order 500), every other app pod may not
 * (order 600): an internet allowance (0.0.0.0/0 minus private ranges) would otherwise reach a public API server,
 * which the firewall passes for AKS. The deny follows each namespace's mode through its mode label: enforced for
 * enforce namespaces, staged for audit ones.
 */
function kubernetesApiPolicies(intent: SegmentationIntent): KubeObject[] {
    const policies: KubeObject[] = [];
    const clients = intent.namespaces.flatMap((namespace) => namespace.workloads.filter((workload) => workload.egress.kubernetesApi).map((workload) => `(projectcalico.org/namespace == '${namespace.name}' && ${calicoLabelSelector(workload.labels)})`));
    if (clients.length > 0) {
        policies.push(calicoV3Policy("GlobalNetworkPolicy", PLATFORM_TIER, "allow-kubernetes-api", {
            order: ORDER_KUBERNETES_API,
            namespaceSelector: `${POLICY_SET_LABEL} == 'enabled'`,
            selector: clients.join(" || "),
            types: ["Egress"],
            egress: [{ action: "Allow", destination: KUBERNETES_API }],
        }));
    }
    for (const mode of ["enforce", "audit"] as const) {
        if (!intent.namespaces.some((namespace) => namespace.mode === mode)) continue;
        const spec: CalicoPolicySpec = {
            order: ORDER_DENY_KUBERNETES_API,
            namespaceSelector: `${POLICY_SET_LABEL} == 'enabled' && ${MODE_LABEL} == '${mode}'`,
            selector: "all()",
            types: ["Egress"],
            egress: mode === "enforce" ? [{ action: "Log", destination: KUBERNETES_API }, { action: "Deny", destination: KUBERNETES_API }] : [{ action: "Deny", destination: KUBERNETES_API }],
        };
        policies.push(calicoV3Policy(mode === "enforce" ? "GlobalNetworkPolicy" : "StagedGlobalNetworkPolicy", PLATFORM_TIER, `deny-kubernetes-api-${mode}`, spec));
    }
    return policies;
}

/**
 * The API server, closed to namespaces nobody declared in every mode (peers and infrastructure deny it in their own
 * policies): the baseline below is only staged in an audit stack, so this deny is its enforced part.
 */
function undeclaredKubernetesApiDeny(intent: SegmentationIntent): KubeObject {
    return calicoV3Policy("GlobalNetworkPolicy", PLATFORM_TIER, "deny-kubernetes-api-undeclared", {
        order: ORDER_DENY_KUBERNETES_API,
        namespaceSelector: `${nonSystemNamespaceSelector(intent)} && ${POLICY_SET_LABEL} != 'enabled'`,
        selector: "all()",
        types: ["Egress"],
        egress: [...DENY_KUBERNETES_API_RULES],
    });
}

/**
 * Zero trust for namespaces nobody declared, peers beyond their allowances and infrastructure pods outside their
 * podLabels: DNS, then deny. App namespaces are left to their own sets in the default tier (the platform tier
 * comes first, so the baseline must not decide for them). Follows the stack's default mode: enforced, or staged.
 */
function baselinePolicy(intent: SegmentationIntent): KubeObject {
    const enforce = intent.defaultMode === "enforce";
    return calicoV3Policy(enforce ? "GlobalNetworkPolicy" : "StagedGlobalNetworkPolicy", PLATFORM_TIER, BASELINE_POLICY, {
        order: ORDER_BASELINE,
        // `!=` also matches a namespace without the label (Calico selector semantics, REFERENCE.md section 3).
        namespaceSelector: `${nonSystemNamespaceSelector(intent)} && ${POLICY_SET_LABEL} != 'enabled'`,
        selector: "all()",
        types: ["Ingress", "Egress"],
        ingress: enforce ? [{ action: "Log" }, { action: "Deny" }] : [{ action: "Deny" }],
        egress: [...dnsRules(intent), ...(enforce ? [{ action: "Log" } as CalicoRule] : []), { action: "Deny" }],
    });
}


/** The generated API-server policies move to the platform tier in this mode. */
const MOVED_TO_PLATFORM = new Set(["allow-kubernetes-api", "deny-kubernetes-api"]);

/**
 * A namespace's set on the v3 API: the same Kubernetes NetworkPolicies as in aks-managed mode, Calico overrides and
 * the denied-flow logger as v3 NetworkPolicies in the default tier. Enforce: the logger logs, then denies. Audit:
 * every policy of the set is staged (a Kubernetes policy that selects a pod isolates it, so even the allows wait).
 */
function namespaceSet(namespace: NamespaceIntent, intent: SegmentationIntent): NamespacePolicySetPlan {
    const v1 = renderNamespacePolicies(namespace, intent);
    const audit = namespace.mode === "audit";
    const toV3 = (object: KubeObject): KubeObject => {
        if (object.apiVersion === "networking.k8s.io/v1") return audit ? stagedKubernetesNetworkPolicy(object) : object;
        // A Calico override: same spec, v3 API, default tier.
        const kind = audit ? "StagedNetworkPolicy" : "NetworkPolicy";
        const { tier: _tier, ...spec } = object.spec as Record<string, unknown>;
        return { ...calicoV3Policy(kind, DEFAULT_TIER, object.metadata.name, spec as unknown as CalicoPolicySpec, object.metadata.namespace), metadata: { ...object.metadata } };
    };
    const allowPolicies = v1.allowPolicies.filter((object) => !(object.apiVersion !== "networking.k8s.io/v1" && MOVED_TO_PLATFORM.has(object.metadata.name) && !namespace.overrides.some((override) => override.metadata.name === object.metadata.name))).map(toV3);
    const logDenied = calicoV3Policy(audit ? "StagedNetworkPolicy" : "NetworkPolicy", DEFAULT_TIER, "log-denied", {
        order: ORDER_LOG_DENIED,
        selector: "all()",
        types: ["Ingress", "Egress"],
        ingress: audit ? [{ action: "Deny" }] : [{ action: "Log" }, { action: "Deny" }],
        egress: audit ? [{ action: "Deny" }] : [{ action: "Log" }, { action: "Deny" }],
    }, namespace.name);
    const defaultDeny = v1.denyPolicies.filter((object) => object.apiVersion === "networking.k8s.io/v1").map(toV3);
    return { ...v1, allowPolicies, denyPolicies: [logDenied, ...defaultDeny] };
}
