/**
 * The checks a quarterly review's patch must pass before it is written: the stack config still validates, the
 * patched stack plans with PASS (intent check passed, no new mandatory policy violation), and its security diff
 * only closes: no connection opened, no FQDN added, no firewall rule that allows a destination or port the stack
 * did not allow before. All removals are checked together, as one patch: a review removes, so one plan of the
 * whole patch says what each removal could only make narrower. Nothing is half-applied: if the patch fails a
 * check, no removal is accepted.
 */
import { parseDocument } from "yaml";
import { azureNames, PROJECT, type StackConfig } from "../../core/config";
import { reviewIntent, type ClusterInventory, type FirewallLogRow, type FlowEvidence, type Removal, type Review, type ReviewTarget } from "../../core/evidence";
import { allowancePlacements } from "../../core/firewall";
import { securityDiff, type FirewallRuleRow, type PlanSecurityJson } from "../report";
import { StackFileError } from "../runtime";
import { removeTargets } from "./stackRemoval";
import { validationProblems, violationsOf, type PlannedStack, type PlanStack } from "./suggestCheck";

/** What checking a review's removals found. */
export interface RemovalCheck {
    /** Whether the patch passed every check (then `patchedText` may be written). */
    readonly accepted: boolean;
    /** Why the patch was refused. */
    readonly problems: readonly string[];
    readonly before: PlannedStack;
    /** The plan of the patched stack (absent when the patch did not validate, or there was nothing to remove). */
    readonly after?: PlannedStack;
    /** The stack file with every removal applied. */
    readonly patchedText: string;
}

/** Applies review targets to a stack file's text, keeping comments and layout. */
export function removeFromStackText(text: string, file: string, targets: readonly ReviewTarget[]): string {
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (document.errors.length > 0) {
        throw new StackFileError(`${file}${document.errors[0].linePos ? `:${document.errors[0].linePos[0].line}` : ""}: invalid YAML: ${document.errors[0].message.split("\n")[0]}`);
    }
    removeTargets(document, targets, file, ["config", `${PROJECT}:segmentation`]);
    return document.toString({ flowCollectionPadding: false });
}

/** Every target a removal takes out of the file: its dependents, then itself. */
export function removalTargets(removals: readonly Removal[]): ReviewTarget[] {
    return removals.flatMap((removal) => [...removal.dependents, removal.target]);
}

/** Checks the patch that removes `removals` (see the file comment). */
export async function checkRemovals(stackText: string, file: string, stack: string, removals: readonly Removal[], planStack: PlanStack): Promise<RemovalCheck> {
    const patchedText = removeFromStackText(stackText, file, removalTargets(removals));
    const invalid = removals.length > 0 ? validationProblems(patchedText, file, stack) : [];
    if (removals.length === 0 || invalid.length > 0) {
        const before = await planStack(stackText);
        return { accepted: false, problems: invalid.map((problem) => `${problem.guardrail}: ${problem.message}`), before, patchedText: removals.length === 0 ? stackText : patchedText };
    }
    // The two plans are independent processes: run them side by side.
    const [before, after] = await Promise.all([planStack(stackText), planStack(patchedText)]);
    const problems: string[] = [];
    if (!after.security.intentCheck?.passed) problems.push(`the patched stack's intent check does not pass: ${(after.security.intentCheck?.violations ?? ["it did not run"]).join("; ")}`);
    const known = violationsOf(before);
    for (const violation of violationsOf(after)) {
        if (violation.guardrail === "intent check") continue;
        if (!known.some((old) => old.guardrail === violation.guardrail && old.message === violation.message)) problems.push(`${violation.guardrail}: ${violation.message}`);
    }
    problems.push(...openings(before.security, after.security));
    return { accepted: problems.length === 0, problems, before, after, patchedText };
}

/** What the patched plan allows that the plan before did not: the diff of a review may only close. */
export function openings(before: PlanSecurityJson, after: PlanSecurityJson): string[] {
    const diff = securityDiff(before, after);
    const found = [
        ...diff.opened.map((line) => `opens ${line}`),
        ...diff.fqdnsAdded.map((fqdn) => `adds FQDN ${fqdn}`),
    ];
    for (const row of after.firewallRules) {
        if (!before.firewallRules.some((old) => covers(old, row))) found.push(`firewall rule ${row.collection}/${row.rule} allows ${row.destination} (${row.ports}), which no rule allowed before`);
    }
    return found;
}

/** Whether rule `old` allows everything `row` does: same collection and source, a superset of destinations and ports. */
function covers(old: FirewallRuleRow, row: FirewallRuleRow): boolean {
    const within = (inner: Set<string>, outer: Set<string>) => [...inner].every((item) => outer.has(item));
    return old.collection === row.collection && old.source === row.source && within(listItems(row.destination), listItems(old.destination)) && within(portItems(row.ports), portItems(old.ports));
}

function listItems(text: string): Set<string> {
    return new Set(text.split(", ").map((item) => item.trim()).filter(Boolean));
}

/** A rule's ports as single items: `Https:443, Http:80` (application rules) or `TCP/UDP 53,8000-8100` (network rules). */
function portItems(text: string): Set<string> {
    const network = /^([A-Za-z/]+) ([\d,-]+)$/.exec(text);
    if (!network) return listItems(text);
    return new Set(network[1].split("/").flatMap((protocol) => network[2].split(",").map((port) => `${protocol} ${port}`)));
}

/**
 * Reviews a stack's intent against the evidence: the firewall facts the review needs (the firewall policy's name,
 * where each allowance sits) come from the stack's own firewall plan.
 */
export function reviewStack(config: StackConfig, firewallRows: readonly FirewallLogRow[], cluster: ClusterInventory, minSpanDays?: number, flows?: FlowEvidence): Review {
    if (!config.segmentation) throw new StackFileError(`stack ${config.stack} declares no ${PROJECT}:segmentation: there is no intent to review`);
    return reviewIntent({
        intent: config.segmentation,
        clusterFqdns: config.egress.fqdns,
        firewall: { policy: azureNames(config).firewallPolicy, placements: allowancePlacements(config) },
        firewallRows,
        cluster,
        ...(flows ? { flows } : {}),
        ...(minSpanDays !== undefined ? { minSpanDays } : {}),
    });
}
