/**
 * The one place that decides how Calico policies are written.
 *
 * AKS-managed Calico runs without the Calico API server, so `projectcalico.org/v3` is not served; only the
 * `crd.projectcalico.org/v1` CRDs exist (Azure/AKS#4038). Calico calls that API internal: objects are not
 * defaulted or validated, and Felix silently ignores an invalid policy. Hence, for every object built here:
 * - names have no dots: Felix reads the tier from the part of the name before the first dot, so a bare
 *   name lands in the `default` tier (libcalico-go `names.TierFromPolicyName`);
 * - `types` is always explicit: with v1 objects an empty `types` means Ingress AND Egress;
 * - `order` is always explicit.
 * Self-managed Calico (cluster.calico.mode: self-managed) serves `projectcalico.org/v3` through its API server: the
 * v3 builders at the end of this file write those objects, with the same spec shape.
 */
export const CALICO_API_VERSION = "crd.projectcalico.org/v1";

/**
 * Order of the guardrails that must decide before anything that can allow (the platform-address deny). Felix sorts
 * a tier's policies by order, ties by name (felix/calc/policy_sorter.go). AKS ships `aaa-allow-konnectivity-agent`
 * at order 0 too: its name sorts first, and it selects konnectivity-agent pods in kube-system, which the guardrails
 * never select, so it keeps working. Every other policy, overrides included, must order after the guardrails.
 */
export const ORDER_GUARDRAILS = 0;

/** A Kubernetes object as plain data. */
export interface KubeObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
    readonly spec?: Record<string, unknown>;
}

/** A Calico policy rule (subset of the v3 Rule fields this project emits). */
export interface CalicoRule {
    readonly action: "Allow" | "Deny" | "Log" | "Pass";
    readonly protocol?: "TCP" | "UDP" | "SCTP";
    readonly source?: CalicoEntity;
    readonly destination?: CalicoEntity;
}

/** A Calico rule's source or destination. */
export interface CalicoEntity {
    readonly selector?: string;
    readonly namespaceSelector?: string;
    readonly nets?: readonly string[];
    readonly notNets?: readonly string[];
    readonly ports?: ReadonlyArray<number | string>;
    readonly services?: { readonly name: string; readonly namespace: string };
}

/** The spec of a Calico (Global)NetworkPolicy. */
export interface CalicoPolicySpec {
    readonly order: number;
    readonly selector: string;
    readonly namespaceSelector?: string;
    readonly types: ReadonlyArray<"Ingress" | "Egress">;
    readonly ingress?: readonly CalicoRule[];
    readonly egress?: readonly CalicoRule[];
}

/** The labels this project puts on every object it renders. */
export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "aks-zero-trust" } as const;

function checkName(name: string): string {
    if (name.includes(".")) {
        throw new Error(`Calico policy name "${name}" must not contain a dot: Calico would read "${name.split(".")[0]}" as its tier`);
    }
    return name;
}

/** A namespaced Calico NetworkPolicy in the default tier. */
export function calicoNetworkPolicy(name: string, namespace: string, spec: CalicoPolicySpec): KubeObject {
    return {
        apiVersion: CALICO_API_VERSION,
        kind: "NetworkPolicy",
        metadata: { name: checkName(name), namespace, labels: { ...MANAGED_BY_LABELS } },
        spec: { ...spec },
    };
}

/** A Calico GlobalNetworkPolicy in the default tier. */
export function calicoGlobalNetworkPolicy(name: string, spec: CalicoPolicySpec): KubeObject {
    return {
        apiVersion: CALICO_API_VERSION,
        kind: "GlobalNetworkPolicy",
        metadata: { name: checkName(name), labels: { ...MANAGED_BY_LABELS } },
        spec: { ...spec },
    };
}

/** A Calico selector matching all of the given labels (`all()` when there are none). */
export function calicoLabelSelector(labels: Readonly<Record<string, string>> | undefined): string {
    const entries = Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? "all()" : entries.map(([key, value]) => `${key} == '${value}'`).join(" && ");
}

/** A Calico selector matching a namespace by name. */
export function calicoNamespaceSelector(namespace: string): string {
    return `projectcalico.org/name == '${namespace}'`;
}

/**
 * Self-managed Calico serves `projectcalico.org/v3` through its API server, which validates and defaults every
 * object (libcalico-go/lib/validator/v3) and takes the tier from `spec.tier`. A policy outside the default tier
 * must be named `<tier>.<name>` (libcalico-go lib/names/policy.go ValidateTieredPolicyName: "Policy names in non
 * default tier have to be in a format of tier.name"), so the builders below prefix the name.
 */
export const CALICO_V3_API_VERSION = "projectcalico.org/v3";

/** Calico's own default tier (always present; order 1,000,000: api/pkg/apis/projectcalico/v3/tier.go DefaultTierOrder). */
export const DEFAULT_TIER = "default";
export const DEFAULT_TIER_ORDER = 1_000_000;

/** The v3 kinds of policy this project renders, enforced and staged. */
export type CalicoV3PolicyKind = "NetworkPolicy" | "GlobalNetworkPolicy" | "StagedNetworkPolicy" | "StagedGlobalNetworkPolicy";

/** A policy's name as the v3 API wants it in its tier: bare in the default tier, `<tier>.<name>` elsewhere. */
export function tieredPolicyName(tier: string, name: string): string {
    if (name.includes(".")) throw new Error(`Calico policy name "${name}" must not contain a dot: the tier prefix is added from the tier`);
    return tier === DEFAULT_TIER ? name : `${tier}.${name}`;
}

/** A Calico v3 Tier: `defaultAction` decides what a tier does with traffic its policies selected but did not decide. */
export function calicoTier(name: string, order: number, defaultAction: "Deny" | "Pass"): KubeObject {
    return { apiVersion: CALICO_V3_API_VERSION, kind: "Tier", metadata: { name, labels: { ...MANAGED_BY_LABELS } }, spec: { order, defaultAction } };
}

/** A Calico v3 policy of any kind in a tier; staged kinds take `stagedAction: Set` (what enforcing adds). */
export function calicoV3Policy(kind: CalicoV3PolicyKind, tier: string, name: string, spec: CalicoPolicySpec, namespace?: string): KubeObject {
    const staged = kind.startsWith("Staged") ? { stagedAction: "Set" } : {};
    return {
        apiVersion: CALICO_V3_API_VERSION,
        kind,
        metadata: { name: tieredPolicyName(tier, name), ...(namespace !== undefined ? { namespace } : {}), labels: { ...MANAGED_BY_LABELS } },
        spec: { ...staged, tier, ...spec },
    };
}

/** A Kubernetes NetworkPolicy as a StagedKubernetesNetworkPolicy (same spec, `stagedAction: Set`). */
export function stagedKubernetesNetworkPolicy(policy: KubeObject): KubeObject {
    return { apiVersion: CALICO_V3_API_VERSION, kind: "StagedKubernetesNetworkPolicy", metadata: { ...policy.metadata }, spec: { stagedAction: "Set", ...policy.spec } };
}
