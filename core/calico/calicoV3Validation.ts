/**
 * What self-managed Calico's API server would make of the projectcalico.org/v3 objects the stack renders, checked
 * before anything is applied: the API server validates every v3 object with libcalico-go/lib/validator/v3 and
 * rejects it (the apply fails half way) rather than dropping it, so every problem found here is a plan error. On a
 * new 3.33 cluster with native v3 CRDs (calicoReleases.ts) the CRD schemas' rules (api/config/crd) and admission
 * policies (api/admission) refuse instead. The rules below stay the plan's whichever way the cluster serves v3; the
 * tier-name rule is required by 3.30 and 3.31 only (3.32 dropped it, calico#11232) and kept as our naming.
 * - Policies (enforced and staged): the v3 validator's rules already applied to overrides (calicoValidation.ts),
 *   on the spec the policy has once enforced (a staged policy converts to its enforced twin:
 *   api/pkg/apis/projectcalico/v3 ConvertStaged*PolicyToEnforced).
 * - `stagedAction`: Set, Delete, Learn or Ignore (v3 StagedAction).
 * - Tiers: the tier a policy names must exist (the API server refuses a policy in a missing tier: "The specified
 *   tier must exist in order to create security policies within the tier", stagedglobalnetworkpolicy.go), and a
 *   policy outside the default tier is named `<tier>.<name>` (lib/names/policy.go ValidateTieredPolicyName).
 *   Tier `defaultAction` is Deny or Pass (tier.go, enum Pass;Deny). Read 2026-12-07.
 * - Our own rule, not Calico's: every tier this project renders comes before the default tier (order below
 *   1,000,000), which is what puts the platform's rules before any namespace's.
 */
import { CALICO_V3_API_VERSION, DEFAULT_TIER, DEFAULT_TIER_ORDER, type KubeObject } from "./calicoApi";
import { calicoPolicyProblems, type ObjectProblem } from "./calicoValidation";

/** A problem of one object, named as the cluster would name it. */
export interface V3ObjectProblem extends ObjectProblem {
    /** `GlobalNetworkPolicy platform.peer-ingress-nginx`, `StagedNetworkPolicy shop/log-denied`. */
    readonly object: string;
}

const STAGED_ACTIONS = ["Set", "Delete", "Learn", "Ignore"];
const ENFORCED_KIND: Readonly<Record<string, string>> = {
    NetworkPolicy: "NetworkPolicy",
    GlobalNetworkPolicy: "GlobalNetworkPolicy",
    StagedNetworkPolicy: "NetworkPolicy",
    StagedGlobalNetworkPolicy: "GlobalNetworkPolicy",
};

/** Every problem of the v3 objects among `objects` (other API groups are left alone). */
export function calicoV3Problems(objects: readonly KubeObject[]): V3ObjectProblem[] {
    const v3 = objects.filter((object) => object.apiVersion === CALICO_V3_API_VERSION);
    const tiers = new Map(v3.filter((object) => object.kind === "Tier").map((tier) => [tier.metadata.name, tier]));
    const problems: V3ObjectProblem[] = [];
    for (const object of v3) {
        const name = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
        const add = (path: string, message: string) => problems.push({ object: name, path, message });
        const spec = (object.spec ?? {}) as Record<string, unknown>;
        if (object.kind === "Tier") {
            if (typeof spec.order !== "number") add("spec.order", "is required: a tier without an order comes after every other tier, the default tier included");
            else if (spec.order >= DEFAULT_TIER_ORDER) add("spec.order", `is ${spec.order}, not before the default tier (${DEFAULT_TIER_ORDER}): namespace policies would decide before the platform's`);
            if (spec.defaultAction !== undefined && spec.defaultAction !== "Deny" && spec.defaultAction !== "Pass") add("spec.defaultAction", `expected Deny or Pass, found ${JSON.stringify(spec.defaultAction)}`);
            continue;
        }
        if (object.kind.startsWith("Staged") && spec.stagedAction !== undefined && !STAGED_ACTIONS.includes(String(spec.stagedAction))) {
            add("spec.stagedAction", `expected one of ${STAGED_ACTIONS.join(", ")}, found ${JSON.stringify(spec.stagedAction)}`);
        }
        const enforcedKind = ENFORCED_KIND[object.kind];
        if (enforcedKind === undefined) continue; // StagedKubernetesNetworkPolicy: a Kubernetes NetworkPolicy spec.
        const tier = typeof spec.tier === "string" && spec.tier !== "" ? spec.tier : DEFAULT_TIER;
        if (tier !== DEFAULT_TIER && !tiers.has(tier)) add("spec.tier", `names tier ${JSON.stringify(tier)}, which is not rendered: the API server refuses a policy in a missing tier`);
        const dotted = object.metadata.name.split(".");
        if (tier === DEFAULT_TIER ? dotted.length > 1 && dotted[0] !== DEFAULT_TIER : dotted.length !== 2 || dotted[0] !== tier) {
            add("metadata.name", `"${object.metadata.name}" does not fit tier ${tier}: a policy outside the default tier is named "${tier}.<name>", one in the default tier has no dot (lib/names/policy.go ValidateTieredPolicyName)`);
        }
        const { stagedAction: _staged, ...enforcedSpec } = spec;
        for (const problem of calicoPolicyProblems({ kind: enforcedKind, spec: enforcedSpec })) add(problem.path, problem.message);
    }
    return problems;
}
