/**
 * The guardrails a proposal must pass before `suggest` offers it: the stack config's validation (readStackConfig:
 * schema, references, tier=data internet egress, budgets), then a plan of the edited stack: the policy pack's
 * mandatory policies (the tier invariants among them: web-tier-never-reaches-data-tier, ...) and the intent check.
 * A plan is run by the caller (`PlanStack`), because Pulumi's runtime runs one program per process.
 */
import { readStackConfig } from "../../core/config";
import { ConfigError } from "../../core/common";
import { proposalKey, type GuardrailViolation, type Proposal } from "../../core/evidence";
import { projectConfigValues } from "../../core/config";
import type { PolicyResult } from "../runtime";
import type { PlanSecurityJson } from "../report";
import { applyProposalsToStackText } from "./stackEdit";
import { parseStackFile } from "../runtime";

/** What the guardrails need from a plan: the policy pack's results and the security section. */
export interface PlannedStack {
    readonly policies: readonly PolicyResult[];
    readonly security: PlanSecurityJson;
}

/** Plans a stack file's text (for the CLI: `npm run plan -- --format json` in a child process). */
export type PlanStack = (stackText: string) => Promise<PlannedStack>;

/** The guardrails' decisions, and the plans of the stack before and after the accepted proposals. */
export interface GuardrailResult {
    /** Violations per proposal key; an empty list means accepted. */
    readonly verdicts: ReadonlyMap<string, readonly GuardrailViolation[]>;
    readonly accepted: readonly Proposal[];
    readonly before: PlannedStack;
    /** The plan with every accepted proposal applied (undefined when none was accepted). */
    readonly after?: PlannedStack;
    /** The stack file text with the accepted proposals applied. */
    readonly acceptedText: string;
}

/** Above this many proposals, they are first planned together (one plan), and one by one only when that fails. */
const PLAN_TOGETHER_ABOVE = 3;

/** Checks each proposal against the guardrails; violations the stack already has before any proposal don't count. */
export async function checkProposals(stackText: string, file: string, stack: string, proposals: readonly Proposal[], planStack: PlanStack): Promise<GuardrailResult> {
    const verdicts = new Map<string, GuardrailViolation[]>();
    const validated: Proposal[] = [];
    for (const proposal of proposals) {
        const problems = validationProblems(applyProposalsToStackText(stackText, file, [proposal]), file, stack);
        verdicts.set(proposalKey(proposal), problems);
        if (problems.length === 0) validated.push(proposal);
    }
    const before = await planStack(stackText);
    const baseline = violationsOf(before);
    const newViolations = (plan: PlannedStack) => violationsOf(plan).filter((violation) => !baseline.some((known) => known.guardrail === violation.guardrail && known.message === violation.message));
    const plans = new Map<string, PlannedStack>();
    let together: PlannedStack | undefined;
    if (validated.length > PLAN_TOGETHER_ABOVE) {
        together = await planStack(applyProposalsToStackText(stackText, file, validated));
        if (newViolations(together).length > 0) together = undefined;
    }
    if (!together) {
        for (const proposal of validated) {
            const plan = await planStack(applyProposalsToStackText(stackText, file, [proposal]));
            plans.set(proposalKey(proposal), plan);
            verdicts.set(proposalKey(proposal), newViolations(plan));
        }
    }
    const accepted = validated.filter((proposal) => verdicts.get(proposalKey(proposal))!.length === 0);
    const acceptedText = applyProposalsToStackText(stackText, file, accepted);
    let after = together;
    if (!after && accepted.length === 1) after = plans.get(proposalKey(accepted[0]));
    if (!after && accepted.length > 1) {
        after = await planStack(acceptedText);
        const combined = newViolations(after);
        // Each passed alone; together they break something (two budgets filling up, ...): offer none of them.
        if (combined.length > 0) {
            for (const proposal of accepted) verdicts.set(proposalKey(proposal), combined.map((violation) => ({ ...violation, message: `together with the other proposals: ${violation.message}` })));
            return { verdicts, accepted: [], before, acceptedText: stackText };
        }
    }
    return { verdicts, accepted, before, ...(after ? { after } : {}), acceptedText };
}

/** The stack config's own validation of an edited stack file, as one violation per problem. */
export function validationProblems(text: string, file: string, stack: string): GuardrailViolation[] {
    try {
        readStackConfig(projectConfigValues(parseStackFile(text, file)), stack);
        return [];
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.map((problem) => ({ guardrail: "intent validation", message: `${problem.path}: ${problem.message}` }));
    }
}

/** Mandatory policy violations and intent check violations of a plan. */
export function violationsOf(plan: PlannedStack): GuardrailViolation[] {
    const policies = plan.policies
        .filter((result) => result.enforcementLevel === "mandatory")
        .flatMap((result) => result.violations.map((violation) => ({ guardrail: `policy ${result.policy} (mandatory)`, message: violation.message })));
    const intent = (plan.security.intentCheck?.violations ?? []).map((message) => ({ guardrail: "intent check", message }));
    return [...policies, ...intent];
}
