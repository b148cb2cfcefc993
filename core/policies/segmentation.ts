import { calicoV3Problems, type KubeObject } from "../calico";
import { ProblemList } from "../common";
import { CidrAllowance, firewallCidrAllowances, firewallFqdnAllowances, FqdnAllowance } from "../firewall";
import { SEGMENTATION_PATH, SegmentationIntent } from "../intent";
import { renderBaselinePolicy } from "./baselinePolicy";
import { GLOBAL_POLICY_BUDGET, NAMESPACE_POLICY_BUDGET } from "./conventions";
import { renderInfrastructurePolicies } from "./infrastructurePolicies";
import { renderMetadataGuardrail } from "./metadataGuardrail";
import { NamespacePolicySetPlan, policyCount, renderNamespacePolicies } from "./namespacePolicies";
import { renderPeerPolicies } from "./peerPolicies";
import { renderSelfManagedPolicies } from "./selfManagedPolicies";

/** Who runs Calico (stack config cluster.calico.mode): decides which Calico API the policies are written for. */
export type CalicoMode = "aks-managed" | "self-managed";

/** Everything the east-west intent renders to. */
export interface RenderedSegmentation {
    /** Which Calico API the objects are written for. */
    readonly calicoMode: CalicoMode;
    /** Calico tiers the policies live in (self-managed only; created before any policy). */
    readonly tiers: readonly KubeObject[];
    readonly namespaces: readonly NamespacePolicySetPlan[];
    readonly globalPolicies: readonly KubeObject[];
    /** FQDNs the firewall must allow for workloads and infrastructure. */
    readonly firewallFqdns: readonly FqdnAllowance[];
    /** Address ranges outside the VNet and cluster that the firewall must allow. */
    readonly firewallCidrs: readonly CidrAllowance[];
}

/**
 * Renders the whole intent. Pure and deterministic: same intent, same objects, same order.
 * Throws ConfigError when the rendered policies exceed ADR 008's budgets (counted on what is rendered).
 */
export function renderSegmentation(intent: SegmentationIntent, calicoMode: CalicoMode = "aks-managed"): RenderedSegmentation {
    const policies = calicoMode === "self-managed"
        ? renderSelfManagedPolicies(intent)
        : { tiers: [], namespaces: intent.namespaces.map((namespace) => renderNamespacePolicies(namespace, intent)), globalPolicies: renderGlobalPolicies(intent) };
    const rendered: RenderedSegmentation = {
        calicoMode,
        ...policies,
        firewallFqdns: firewallFqdnAllowances(intent),
        firewallCidrs: firewallCidrAllowances(intent),
    };
    const problems = new ProblemList();
    checkPolicyBudgets(intent, rendered, problems);
    // The Calico API server validates every v3 object and refuses a bad one mid-apply: check them all first.
    const v3Objects = [...rendered.tiers, ...rendered.globalPolicies, ...rendered.namespaces.flatMap((set) => [...set.allowPolicies, ...set.denyPolicies])];
    for (const problem of calicoV3Problems(v3Objects)) {
        problems.add(SEGMENTATION_PATH, `${problem.object}: ${problem.path}: ${problem.message}`);
    }
    problems.throwIfAny();
    return rendered;
}

/** ADR 008's budgets, checked on the rendered policies so that the count is the real one. */
function checkPolicyBudgets(intent: SegmentationIntent, rendered: RenderedSegmentation, problems: ProblemList): void {
    rendered.namespaces.forEach((set) => {
        const count = policyCount(set);
        if (count > NAMESPACE_POLICY_BUDGET) {
            problems.add(
                `${SEGMENTATION_PATH}.namespaces[${intent.namespaces.findIndex((ns) => ns.name === set.namespace)}]`,
                `namespace ${set.namespace} needs ${count} policies, over the ADR 008 budget of ${NAMESPACE_POLICY_BUDGET}; give workloads that share flows one label set, or split the namespace`,
            );
        }
    });
    if (rendered.globalPolicies.length > GLOBAL_POLICY_BUDGET) {
        problems.add(`${SEGMENTATION_PATH}.infrastructure`, `the infrastructure needs ${rendered.globalPolicies.length} global policies, over the ADR 008 budget of ${GLOBAL_POLICY_BUDGET}`);
    }
}

/** The cluster-wide Calico policies: the platform-address guardrail, infrastructure and peer allowances, then the baseline. */
function renderGlobalPolicies(intent: SegmentationIntent): KubeObject[] {
    return [renderMetadataGuardrail(intent), ...renderInfrastructurePolicies(intent), ...renderPeerPolicies(intent), renderBaselinePolicy(intent)];
}
