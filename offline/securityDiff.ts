import { ipv4ToNumber } from "../core/cidr";
import { Connection, diffConnections, Entity, formatConnection, parseConnectionSet } from "../reach";
import type { FirewallRuleRow, PolicyBudgetRow } from "./securityReport";

/** The parts of a plan's JSON that the security diff compares. */
export interface PlanSecurityJson {
    readonly firewallRules: readonly FirewallRuleRow[];
    readonly policySets: readonly PolicyBudgetRow[];
    readonly globalPolicies: { readonly count: number; readonly budget: number };
    readonly enforcedConnectionLines: readonly string[];
    readonly intentCheck?: { readonly passed: boolean; readonly violations: readonly string[] };
}

/** What changed, security-wise, between two plans of one stack. */
export interface SecurityDiff {
    readonly opened: readonly string[];
    readonly closed: readonly string[];
    readonly fqdnsAdded: readonly string[];
    readonly fqdnsRemoved: readonly string[];
    readonly rulesAdded: readonly string[];
    readonly rulesRemoved: readonly string[];
    readonly budgetChanges: readonly string[];
    /** Namespaces whose rollout mode changes, e.g. `shop: audit -> enforce`. */
    readonly modeChanges: readonly string[];
    readonly intentBefore: string;
    readonly intentAfter: string;
    readonly newViolations: readonly string[];
}

/** Compares the security sections of two plans. */
export function securityDiff(before: PlanSecurityJson, after: PlanSecurityJson): SecurityDiff {
    const connections = diffConnections(before.enforcedConnectionLines.map(parseConnectionLine), after.enforcedConnectionLines.map(parseConnectionLine));
    const fqdns = (plan: PlanSecurityJson) => new Set(plan.firewallRules.flatMap((row) => row.destination.split(", ").filter(isFqdn)));
    const rules = (plan: PlanSecurityJson) => new Set(plan.firewallRules.map((row) => `${row.collection}/${row.rule}: ${row.source} -> ${row.destination} (${row.ports})`));
    const budgets = (plan: PlanSecurityJson) => new Map(plan.policySets.map((row) => [row.namespace, row.policies]));
    const beforeBudgets = budgets(before);
    const afterBudgets = budgets(after);
    const budgetChanges: string[] = [];
    for (const namespace of [...new Set([...beforeBudgets.keys(), ...afterBudgets.keys()])].sort()) {
        const was = beforeBudgets.get(namespace);
        const now = afterBudgets.get(namespace);
        if (was !== now) budgetChanges.push(`${namespace}: ${was ?? "-"} -> ${now ?? "-"} policies (budget 10)`);
    }
    if (before.globalPolicies.count !== after.globalPolicies.count) {
        budgetChanges.push(`global: ${before.globalPolicies.count} -> ${after.globalPolicies.count} policies (budget ${after.globalPolicies.budget})`);
    }
    const modes = (plan: PlanSecurityJson) => new Map(plan.policySets.map((row) => [row.namespace, row.mode]));
    const beforeModes = modes(before);
    const modeChanges = [...modes(after)]
        .filter(([namespace, mode]) => beforeModes.has(namespace) && beforeModes.get(namespace) !== mode)
        .map(([namespace, mode]) => `${namespace}: ${beforeModes.get(namespace)} -> ${mode}`)
        .sort();
    const verdict = (plan: PlanSecurityJson) => (plan.intentCheck ? (plan.intentCheck.passed ? "PASS" : `FAIL (${plan.intentCheck.violations.length})`) : "SKIPPED");
    const beforeViolations = new Set(before.intentCheck?.violations ?? []);
    return {
        opened: connections.added.map(formatConnection),
        closed: connections.removed.map(formatConnection),
        fqdnsAdded: difference(fqdns(after), fqdns(before)),
        fqdnsRemoved: difference(fqdns(before), fqdns(after)),
        rulesAdded: difference(rules(after), rules(before)),
        rulesRemoved: difference(rules(before), rules(after)),
        budgetChanges,
        modeChanges,
        intentBefore: verdict(before),
        intentAfter: verdict(after),
        newViolations: (after.intentCheck?.violations ?? []).filter((violation) => !beforeViolations.has(violation)),
    };
}

/** Firewall destinations that are host names (not FQDN tags, service tags or addresses). */
function isFqdn(item: string): boolean {
    return /[a-z]/i.test(item) && item.includes(".") && !item.startsWith("tag:") && !item.startsWith("AzureCloud.");
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
    return [...a].filter((item) => !b.has(item)).sort();
}

/** The short verdict that opens a pull-request comment. */
export function verdictLine(diff: SecurityDiff): string {
    const parts: string[] = [];
    const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
    if (diff.opened.length > 0) parts.push(`opens ${plural(diff.opened.length, "connection")}`);
    if (diff.closed.length > 0) parts.push(`closes ${diff.closed.length}`);
    if (diff.fqdnsAdded.length > 0) parts.push(`adds FQDN ${diff.fqdnsAdded.join(", ")}`);
    if (diff.fqdnsRemoved.length > 0) parts.push(`removes FQDN ${diff.fqdnsRemoved.join(", ")}`);
    if (diff.modeChanges.length > 0) parts.push(`switches ${diff.modeChanges.join(", ")}`);
    if (parts.length === 0 && diff.rulesAdded.length + diff.rulesRemoved.length + diff.budgetChanges.length === 0) parts.push("no security change");
    else if (parts.length === 0) parts.push("changes firewall rules or policy counts only");
    const intent = diff.intentBefore === diff.intentAfter ? `intent check ${diff.intentAfter}` : `intent check ${diff.intentBefore} -> ${diff.intentAfter}`;
    return `${parts.join(", ")}; ${intent}`;
}

/** The diff as text (`+`/`-` lines) or Markdown for a pull-request comment. */
export function formatSecurityDiff(diff: SecurityDiff, stack: string, format: "text" | "md"): string {
    const sections: Array<[string, string[]]> = [
        ["Connections (as enforced)", [...diff.closed.map((line) => `- ${line}`), ...diff.opened.map((line) => `+ ${line}`)]],
        ["Firewall rules", [...diff.rulesRemoved.map((line) => `- ${line}`), ...diff.rulesAdded.map((line) => `+ ${line}`)]],
        ["Policy budgets", diff.budgetChanges.map((line) => `~ ${line}`)],
        ["Rollout modes", diff.modeChanges.map((line) => `~ ${line}`)],
        ["Intent check", [`${diff.intentBefore} -> ${diff.intentAfter}`, ...diff.newViolations.map((line) => `! ${line}`)]],
    ];
    if (format === "md") {
        const lines = [`### Security diff: \`${stack}\``, "", `**${verdictLine(diff)}**`, ""];
        for (const [title, body] of sections) {
            if (body.length === 0) continue;
            lines.push(`<details${title.startsWith("Connections") || title === "Intent check" ? " open" : ""}><summary>${title}</summary>`, "", "```diff", ...body, "```", "", "</details>", "");
        }
        return lines.join("\n");
    }
    const lines = [`Security diff of stack ${stack}: ${verdictLine(diff)}`];
    for (const [title, body] of sections) {
        if (body.length === 0) continue;
        lines.push("", `${title}:`, ...body.map((line) => `  ${line}`));
    }
    return `${lines.join("\n")}\n`;
}

/** Rebuilds a connection from its line form, `A => B : PORTS`. */
export function parseConnectionLine(line: string): Connection {
    const match = /^(.+) => (.+) : (.+)$/.exec(line);
    if (!match) throw new Error(`not a connection line: ${line}`);
    const ports = parseConnectionSet(match[3]);
    if (typeof ports === "string") throw new Error(`bad connections in "${line}": ${ports}`);
    return { source: parseEntity(match[1]), destination: parseEntity(match[2]), ports };
}

function parseEntity(display: string): Entity {
    // A range "a-b", or a single address on its own.
    const external = /^(\d+\.\d+\.\d+\.\d+)(?:-(\d+\.\d+\.\d+\.\d+))?\[External\]$/.exec(display);
    if (external) {
        return { type: "external", start: ipv4ToNumber(external[1]), end: ipv4ToNumber(external[2] ?? external[1]), display };
    }
    const workload = /^([^/]+)\/(.+)\[(.+)\]$/.exec(display);
    if (!workload) throw new Error(`not an entity: ${display}`);
    return { type: "workload", namespace: workload[1], name: workload[2], kind: workload[3], display } as Entity;
}
