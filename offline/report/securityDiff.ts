import { Connection, diffConnections, Entity, formatConnection, parseConnectionSet, parseEntityDisplay } from "../../reach";
import { COMMENT_GRAPH_BUDGET, connectionFlowchart, type Flowchart, type GraphBudget, type GraphConnection } from "./connectionGraph";
import { policyRemediations, resourceLabel, type PolicyResult } from "../runtime";
import type { FirewallRuleRow, PolicyBudgetRow, WorkloadFacts } from "./securityReport";

/** The label key and value that mark the data tier in the intent (ADR 008: tier=web|api|data). */
export const DATA_TIER_LABEL = { key: "tier", value: "data" } as const;

/** The parts of a plan's JSON that the security diff compares. */
export interface PlanSecurityJson {
    readonly firewallRules: readonly FirewallRuleRow[];
    readonly policySets: readonly PolicyBudgetRow[];
    readonly globalPolicies: { readonly count: number; readonly budget: number };
    readonly enforcedConnectionLines: readonly string[];
    /** Who runs Calico (absent in plans made before the field existed: aks-managed). */
    readonly calico?: { readonly mode: "aks-managed" | "self-managed"; readonly version?: string };
    readonly intentCheck?: { readonly passed: boolean; readonly violations: readonly string[] };
    /** The declared workloads with their labels and FQDNs (absent in plans that predate it). */
    readonly workloads?: readonly WorkloadFacts[];
    /** The policy pack's results on this side (absent when the pack was not run). */
    readonly policies?: readonly PolicyResult[];
}

/** One violation of the policy pack, as a reviewer needs it. */
export interface PolicyFinding {
    readonly policy: string;
    readonly enforcementLevel: "mandatory" | "advisory";
    readonly message: string;
    /** "name (type)" of the resource in violation; stack-wide policies name none. */
    readonly resource?: string;
    /** The policy's remediation steps. */
    readonly remediation?: string;
}

/** What a connection crosses; the groups in the order a reviewer reads them. */
export const RISK_GROUPS = [
    { name: "data-tier", title: "Into the data tier (tier=data)" },
    { name: "internet", title: "To the internet" },
    { name: "from-outside", title: "From outside the cluster" },
    { name: "api-server", title: "To the Kubernetes API server" },
    { name: "cross-namespace", title: "Across namespaces" },
    { name: "within-namespace", title: "Within a namespace" },
] as const;
export type RiskGroupName = (typeof RISK_GROUPS)[number]["name"];

/** The connection changes of one risk group (and, for the internet, the FQDN changes). */
export interface RiskGroup {
    readonly name: RiskGroupName;
    readonly title: string;
    readonly opened: readonly string[];
    readonly closed: readonly string[];
    /** Internet only: `hooks.slack.com Https:443 (shop/backend)`. */
    readonly fqdnsAdded: readonly string[];
    readonly fqdnsRemoved: readonly string[];
    /** Internet only: what the firewall allows each workload with changed internet egress, after the change. */
    readonly firewallAllows: readonly string[];
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
    /** Changes that disrupt the cluster's traffic while they roll out (the Calico mode switch), each with its runbook. */
    readonly disruptive: readonly string[];
    readonly intentBefore: string;
    readonly intentAfter: string;
    readonly newViolations: readonly string[];
    /** Policy pack verdicts: PASS, FAIL (n mandatory, m advisory) or SKIPPED. */
    readonly policiesBefore: string;
    readonly policiesAfter: string;
    /** Violations the change introduces, mandatory first. */
    readonly policiesIntroduced: readonly PolicyFinding[];
    /** Violations the change fixes, mandatory first. */
    readonly policiesFixed: readonly PolicyFinding[];
    /** Whether the change introduces a mandatory violation or an intent-check violation (the plan and `pulumi preview` would fail). */
    readonly blocksMerge: boolean;
    /** Connection and FQDN changes by what they cross, in RISK_GROUPS order. */
    readonly groups: readonly RiskGroup[];
    /** Entities labelled tier=data on either side. */
    readonly dataTier: readonly string[];
    /** Every workload entity on either side. */
    readonly workloads: readonly string[];
}

/** Compares the security sections of two plans; `remediations` are the pack's remediation steps by policy name. */
export function securityDiff(before: PlanSecurityJson, after: PlanSecurityJson, remediations: ReadonlyMap<string, string> = policyRemediations()): SecurityDiff {
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
    const newViolations = (after.intentCheck?.violations ?? []).filter((violation) => !beforeViolations.has(violation));
    const beforeFindings = policyFindings(before.policies, remediations);
    const afterFindings = policyFindings(after.policies, remediations);
    const policiesIntroduced = findingsOnlyIn(afterFindings, beforeFindings);
    const dataTier = [...new Set([...dataTierEntities(before), ...dataTierEntities(after)])].sort();
    return {
        opened: connections.added.map(formatConnection),
        closed: connections.removed.map(formatConnection),
        fqdnsAdded: difference(fqdns(after), fqdns(before)),
        fqdnsRemoved: difference(fqdns(before), fqdns(after)),
        rulesAdded: difference(rules(after), rules(before)),
        rulesRemoved: difference(rules(before), rules(after)),
        budgetChanges,
        modeChanges,
        disruptive: calicoChanges(before, after),
        intentBefore: verdict(before),
        intentAfter: verdict(after),
        newViolations,
        policiesBefore: policyVerdict(before.policies),
        policiesAfter: policyVerdict(after.policies),
        policiesIntroduced,
        policiesFixed: findingsOnlyIn(beforeFindings, afterFindings),
        blocksMerge: policiesIntroduced.some((finding) => finding.enforcementLevel === "mandatory") || newViolations.length > 0,
        groups: riskGroups(connections.added, connections.removed, before, after, new Set(dataTier)),
        dataTier,
        workloads: [...new Set([...(before.workloads ?? []), ...(after.workloads ?? [])].map((workload) => workload.entity))].sort(),
    };
}

function policyFindings(results: readonly PolicyResult[] | undefined, remediations: ReadonlyMap<string, string>): PolicyFinding[] {
    return (results ?? []).flatMap((result) =>
        result.enforcementLevel === "disabled"
            ? []
            : result.violations.map((violation) => ({
                  policy: result.policy,
                  enforcementLevel: result.enforcementLevel as "mandatory" | "advisory",
                  message: violation.message,
                  ...(violation.resource ? { resource: resourceLabel(violation.resource) } : {}),
                  ...(remediations.has(result.policy) ? { remediation: remediations.get(result.policy)! } : {}),
              })),
    );
}

const findingKey = (finding: PolicyFinding) => `${finding.policy}\u0000${finding.resource ?? ""}\u0000${finding.message}`;

/** Findings of `side` that `other` does not have, mandatory first. */
function findingsOnlyIn(side: readonly PolicyFinding[], other: readonly PolicyFinding[]): PolicyFinding[] {
    const known = new Set(other.map(findingKey));
    const rank = (finding: PolicyFinding) => (finding.enforcementLevel === "mandatory" ? 0 : 1);
    return side.filter((finding) => !known.has(findingKey(finding))).sort((a, b) => rank(a) - rank(b));
}

function policyVerdict(results: readonly PolicyResult[] | undefined): string {
    if (!results) return "SKIPPED";
    const count = (level: string) => results.filter((result) => result.enforcementLevel === level).reduce((sum, result) => sum + result.violations.length, 0);
    const mandatory = count("mandatory");
    const advisory = count("advisory");
    if (mandatory + advisory === 0) return "PASS";
    return mandatory > 0 ? `FAIL (${mandatory} mandatory${advisory > 0 ? `, ${advisory} advisory` : ""})` : `PASS (${advisory} advisory)`;
}

/** The entities the intent labels tier=data. */
function dataTierEntities(plan: PlanSecurityJson): string[] {
    return (plan.workloads ?? []).filter((workload) => workload.labels[DATA_TIER_LABEL.key] === DATA_TIER_LABEL.value).map((workload) => workload.entity);
}

/** The group of a connection: the first of RISK_GROUPS it belongs to. */
export function riskGroupOf(connection: Connection, dataTier: ReadonlySet<string>): RiskGroupName {
    const { source, destination } = connection;
    if (destination.type === "workload" && dataTier.has(destination.display)) return "data-tier";
    if (destination.type === "external") return "internet";
    if (source.type === "external") return "from-outside";
    if (destination.kind === "APIServer") return "api-server";
    if (source.type === "workload" && source.namespace !== destination.namespace) return "cross-namespace";
    return "within-namespace";
}

function riskGroups(added: readonly Connection[], removed: readonly Connection[], before: PlanSecurityJson, after: PlanSecurityJson, dataTier: ReadonlySet<string>): RiskGroup[] {
    const fqdnsOf = (plan: PlanSecurityJson) => new Map((plan.workloads ?? []).map((workload) => [workload.entity, workload.fqdns]));
    const beforeFqdns = fqdnsOf(before);
    const afterFqdns = fqdnsOf(after);
    const fqdnChanges = (from: ReadonlyMap<string, readonly string[]>, to: ReadonlyMap<string, readonly string[]>) =>
        [...to].flatMap(([entity, list]) => list.filter((fqdn) => !(from.get(entity) ?? []).includes(fqdn)).map((fqdn) => ({ entity, fqdn })));
    const fqdnsAdded = fqdnChanges(beforeFqdns, afterFqdns);
    const fqdnsRemoved = fqdnChanges(afterFqdns, beforeFqdns);
    const internetWorkloads = new Set([
        ...[...added, ...removed].filter((connection) => riskGroupOf(connection, dataTier) === "internet").map((connection) => connection.source.display),
        ...[...fqdnsAdded, ...fqdnsRemoved].map((change) => change.entity),
    ]);
    const short = (entity: string) => entity.replace(/\[Pod\]$/, "");
    return RISK_GROUPS.map(({ name, title }) => {
        const internet = name === "internet";
        return {
            name,
            title,
            opened: added.filter((connection) => riskGroupOf(connection, dataTier) === name).map(formatConnection),
            closed: removed.filter((connection) => riskGroupOf(connection, dataTier) === name).map(formatConnection),
            fqdnsAdded: internet ? fqdnsAdded.map((change) => `${change.fqdn} (${short(change.entity)})`).sort() : [],
            fqdnsRemoved: internet ? fqdnsRemoved.map((change) => `${change.fqdn} (${short(change.entity)})`).sort() : [],
            firewallAllows: internet
                ? [...internetWorkloads].sort().map((entity) => `${short(entity)}: ${(afterFqdns.get(entity) ?? []).join(", ") || "no FQDN of its own (only the cluster-wide ones)"}`)
                : [],
        };
    });
}

/** Firewall destinations that are host names (not FQDN tags, service tags or addresses). */
function isFqdn(item: string): boolean {
    return /[a-z]/i.test(item) && item.includes(".") && !item.startsWith("tag:") && !item.startsWith("AzureCloud.");
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
    return [...a].filter((item) => !b.has(item)).sort();
}

const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;
const distinct = (items: readonly string[]) => [...new Set(items)];

/**
 * The short verdict that opens a pull-request comment, most important first: a mandatory violation the change
 * introduces (or fixes), connections into the data tier, internet egress and FQDNs, then the rest; the policy
 * pack and intent check verdicts close it.
 */
/** The docs a disruptive Calico change points to. */
export const CALICO_MIGRATION_RUNBOOK = "docs/calico-migration.md";

/**
 * Calico's mode or pinned version changing. aks-managed <-> self-managed changes the cluster's networkPolicy: AKS
 * removes its Calico and network policy is not enforced until self-managed Calico is installed and the policies
 * re-applied (Tigera, "Migrating AKS clusters between Azure-managed and self-managed Calico": "Network policy will be
 * removed during the migration"). A new pinned version upgrades Calico in place through the operator.
 */
function calicoChanges(before: PlanSecurityJson, after: PlanSecurityJson): string[] {
    const mode = (plan: PlanSecurityJson) => plan.calico?.mode ?? "aks-managed";
    const from = mode(before);
    const to = mode(after);
    if (from !== to) {
        return [`Calico ${from} -> ${to}${after.calico?.version ? ` (pinned ${after.calico.version})` : ""}: network policy is removed while the cluster switches (az aks update --network-policy ${to === "self-managed" ? "none" : "calico"}), so every flow is open until the new engine and policies are in place; run it in a maintenance window by ${CALICO_MIGRATION_RUNBOOK}`];
    }
    if (to === "self-managed" && before.calico?.version !== after.calico?.version) {
        return [`Calico ${before.calico?.version ?? "?"} -> ${after.calico?.version ?? "?"}: the Tigera operator upgrades Calico node by node; upgrade one minor at a time, in a maintenance window, by ${CALICO_MIGRATION_RUNBOOK}`];
    }
    return [];
}

export function verdictLine(diff: SecurityDiff): string {
    const parts: string[] = [];
    if (diff.disruptive.length > 0) parts.push(`DISRUPTIVE: ${diff.disruptive.map((line) => line.split(":")[0]).join(", ")} (see ${CALICO_MIGRATION_RUNBOOK})`);
    const introduced = distinct(diff.policiesIntroduced.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => finding.policy));
    const blockers: string[] = [];
    if (introduced.length > 0) blockers.push(`${plural(introduced.length, "mandatory policy fails", "mandatory policies fail")} (${introduced.join(", ")})`);
    if (diff.newViolations.length > 0) blockers.push(`the intent check fails (${plural(diff.newViolations.length, "new violation")})`);
    if (blockers.length > 0) parts.push(`blocks merge: ${blockers.join(" and ")}`);
    const fixed = distinct(diff.policiesFixed.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => finding.policy));
    if (fixed.length > 0) parts.push(`fixes ${plural(fixed.length, "mandatory policy", "mandatory policies")} (${fixed.join(", ")})`);
    const group = (name: RiskGroupName) => diff.groups.find((candidate) => candidate.name === name)!;
    const data = group("data-tier");
    if (data.opened.length > 0) parts.push(`opens ${plural(data.opened.length, "connection")} into tier=data`);
    if (data.closed.length > 0) parts.push(`closes ${plural(data.closed.length, "connection")} into tier=data`);
    const internet = group("internet");
    const egress: string[] = [];
    if (internet.opened.length > 0) egress.push(`opens ${plural(internet.opened.length, "connection")}`);
    if (internet.fqdnsAdded.length > 0) egress.push(`adds FQDN ${internet.fqdnsAdded.join(", ")}`);
    const clusterFqdnsAdded = diff.fqdnsAdded.filter((fqdn) => !internet.fqdnsAdded.some((entry) => entry.startsWith(`${fqdn} `)));
    if (clusterFqdnsAdded.length > 0) egress.push(`adds FQDN ${clusterFqdnsAdded.join(", ")}`);
    if (egress.length > 0) parts.push(`internet egress: ${egress.join(", ")}`);
    const others = diff.groups.filter((candidate) => candidate.name !== "data-tier" && candidate.name !== "internet");
    const otherOpened = others.reduce((sum, candidate) => sum + candidate.opened.length, 0);
    const otherClosed = others.reduce((sum, candidate) => sum + candidate.closed.length, 0) + internet.closed.length;
    if (otherOpened > 0) parts.push(`opens ${plural(otherOpened, "connection")}${data.opened.length + internet.opened.length > 0 ? " elsewhere" : ""}`);
    if (otherClosed > 0) parts.push(`closes ${plural(otherClosed, "connection")}${data.closed.length > 0 ? " elsewhere" : ""}`);
    if (diff.fqdnsRemoved.length > 0) parts.push(`removes FQDN ${diff.fqdnsRemoved.join(", ")}`);
    if (diff.modeChanges.length > 0) parts.push(`switches ${diff.modeChanges.join(", ")}`);
    if (parts.length === 0 && diff.rulesAdded.length + diff.rulesRemoved.length + diff.budgetChanges.length + diff.policiesIntroduced.length + diff.policiesFixed.length === 0) parts.push("no security change");
    else if (parts.length === 0) parts.push("changes firewall rules, policy counts or advisory findings only");
    const change = (was: string, now: string) => (was === now ? now : `${was} -> ${now}`);
    return `${parts.join("; ")}; policy pack ${change(diff.policiesBefore, diff.policiesAfter)}; intent check ${change(diff.intentBefore, diff.intentAfter)}`;
}

/** A risk group's counts: "1 opened, 0 closed" (and FQDNs added and removed for the internet). */
function groupCount(group: RiskGroup): string {
    const counts = [`${group.opened.length} opened`, `${group.closed.length} closed`];
    if (group.name === "internet") counts.push(`${plural(group.fqdnsAdded.length, "FQDN")} added`, `${group.fqdnsRemoved.length} removed`);
    return counts.join(", ");
}

function groupLines(group: RiskGroup): string[] {
    return [
        ...group.closed.map((line) => `- ${line}`),
        ...group.opened.map((line) => `+ ${line}`),
        ...group.fqdnsRemoved.map((line) => `- FQDN ${line}`),
        ...group.fqdnsAdded.map((line) => `+ FQDN ${line}`),
        ...group.firewallAllows.map((line) => `  the firewall allows ${line}`),
    ];
}

function findingLines(finding: PolicyFinding): string[] {
    return [
        `${finding.policy} (${finding.enforcementLevel}) on ${finding.resource ?? "the stack"}`,
        `  ${finding.message}`,
        ...(finding.remediation ? [`  remediation: ${finding.remediation}`] : []),
    ];
}

/** The changed connections as a flowchart of the affected workloads. */
export function securityDiffFlowchart(diff: SecurityDiff, budget: GraphBudget = COMMENT_GRAPH_BUDGET): Flowchart {
    const connections: GraphConnection[] = [
        ...diff.opened.map((line) => ({ connection: parseConnectionLine(line), change: "added" as const })),
        ...diff.closed.map((line) => ({ connection: parseConnectionLine(line), change: "removed" as const })),
    ];
    return connectionFlowchart(connections, { dataTier: new Set(diff.dataTier), allWorkloads: diff.workloads, budget });
}

/** The diff as text (`+`/`-` lines) or Markdown for a pull-request comment (with a Mermaid picture). */
export function formatSecurityDiff(diff: SecurityDiff, stack: string, format: "text" | "md"): string {
    const changedGroups = diff.groups.filter((group) => groupLines(group).length > 0);
    const policyBody = [
        ...diff.policiesIntroduced.flatMap((finding) => findingLines(finding).map((line, index) => `${index === 0 ? "! " : "  "}${line}`)),
        ...diff.policiesFixed.map((finding) => `~ fixed: ${finding.policy} (${finding.enforcementLevel}) on ${finding.resource ?? "the stack"}: ${finding.message}`),
    ];
    const sections: Array<[string, string[]]> = [
        ["Policy pack", [`${diff.policiesBefore} -> ${diff.policiesAfter}`, ...policyBody]],
        ["Disruptive changes", diff.disruptive.map((line) => `! ${line}`)],
        ...changedGroups.map((group): [string, string[]] => [`${group.title} (${groupCount(group)})`, groupLines(group)]),
        ["Firewall rules", [...diff.rulesRemoved.map((line) => `- ${line}`), ...diff.rulesAdded.map((line) => `+ ${line}`)]],
        ["Policy budgets", diff.budgetChanges.map((line) => `~ ${line}`)],
        ["Rollout modes", diff.modeChanges.map((line) => `~ ${line}`)],
        ["Intent check", [`${diff.intentBefore} -> ${diff.intentAfter}`, ...diff.newViolations.map((line) => `! ${line}`)]],
    ];
    const connectionCount = diff.opened.length + diff.closed.length;
    if (format === "md") {
        const lines = [`### Security diff: \`${stack}\``, "", `**${verdictLine(diff)}**`, ""];
        if (diff.policiesIntroduced.length > 0) {
            lines.push("| New violation | Level | Resource | Remediation |", "| --- | --- | --- | --- |");
            for (const finding of diff.policiesIntroduced) {
                lines.push(`| **${cell(finding.policy)}**: ${cell(finding.message)} | ${finding.enforcementLevel} | ${cell(finding.resource ?? "the stack")} | ${cell(finding.remediation ?? "")} |`);
            }
            lines.push("");
        }
        lines.push("| What the changed connections cross | Opened | Closed |", "| --- | ---: | ---: |");
        for (const group of diff.groups) {
            const fqdns = group.name === "internet" && group.fqdnsAdded.length + group.fqdnsRemoved.length > 0 ? ` (FQDNs: ${[...group.fqdnsAdded.map((line) => `+${line}`), ...group.fqdnsRemoved.map((line) => `-${line}`)].map(cell).join(", ")})` : "";
            lines.push(`| ${group.title}${fqdns} | ${group.opened.length} | ${group.closed.length} |`);
        }
        lines.push("");
        if (connectionCount > 0) {
            const graph = securityDiffFlowchart(diff);
            lines.push("```mermaid", graph.text.trimEnd(), "```", "");
            if (graph.note) lines.push(`_${graph.note}; the lists below have every connection._`, "");
        }
        for (const [title, body] of sections) {
            if (body.length === 0 || (title === "Policy pack" && body.length === 1 && diff.policiesBefore === diff.policiesAfter && diff.policiesAfter === "PASS")) continue;
            // The sections that carry the verdict's first parts are open; the rest are one click away.
            const open = title === "Intent check" || title === "Policy pack" || title.startsWith(RISK_GROUPS[0].title) || title.startsWith(RISK_GROUPS[1].title);
            lines.push(`<details${open ? " open" : ""}><summary>${title}</summary>`, "", "```diff", ...body, "```", "", "</details>", "");
        }
        return lines.join("\n");
    }
    const lines = [`Security diff of stack ${stack}: ${verdictLine(diff)}`];
    if (changedGroups.length > 0) {
        lines.push("", "What the changed connections cross:", ...diff.groups.map((group) => `  ${group.title}: ${groupCount(group)}`));
    }
    for (const [title, body] of sections) {
        if (body.length === 0) continue;
        lines.push("", `${title}:`, ...body.map((line) => `  ${line}`));
    }
    return `${lines.join("\n")}\n`;
}

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
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
    // reach prints a range as "a-b", a CIDR or one address; it parses all three back.
    const external = parseEntityDisplay(display);
    if (external?.type === "external") return external;
    const workload = /^([^/]+)\/(.+)\[(.+)\]$/.exec(display);
    if (!workload) throw new Error(`not an entity: ${display}`);
    return { type: "workload", namespace: workload[1], name: workload[2], kind: workload[3], display } as Entity;
}
