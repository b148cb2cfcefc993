import {
    type AddressName,
    compileAddressNames,
    Connection,
    ConnectionSet,
    diffConnections,
    formatConnection,
    isNamedEntity,
    parseConnectionLine,
    presentConnections,
} from "../../reach";
import { INTERNET_NAME } from "../../core/intent";
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
    /** Connection lines as the applied policies allow them today (audit namespaces let everything through). */
    readonly connectionLines?: readonly string[];
    /** Who runs Calico (absent in plans made before the field existed: aks-managed). */
    readonly calico?: { readonly mode: "aks-managed" | "self-managed"; readonly version?: string };
    readonly intentCheck?: { readonly passed: boolean; readonly violations: readonly string[] };
    /** The declared workloads with their labels and FQDNs (absent in plans that predate it). */
    readonly workloads?: readonly WorkloadFacts[];
    /** The policy pack's results on this side (absent when the pack was not run). */
    readonly policies?: readonly PolicyResult[];
    /** The stack's own address sets by name (internet, VNet, ...), so that lines name them. */
    readonly addressNames?: readonly AddressName[];
    /** The warnings the plan printed for this side's config. */
    readonly warnings?: readonly string[];
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
    { name: "private-addresses", title: "To the VNet, cluster and Azure platform addresses" },
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
    /** Internet only: what the firewall allows each workload whose FQDNs changed without an internet line that names them. */
    readonly firewallAllows: readonly string[];
    /** Internet only: workloads (`payments/api`) whose opened or closed internet line names their FQDNs. */
    readonly fqdnsOnLines: readonly string[];
}

/** A namespace that starts in a mode or switches mode, with what that does. */
export interface ModeChange {
    readonly namespace: string;
    /** Absent for a namespace the change adds. */
    readonly before?: string;
    readonly after: string;
    /** A new namespace in audit: the connections enforce would allow it (what the intent declares). */
    readonly enforceAllows?: number;
    /** A switch to enforce: the connections only audit lets through today, which start being dropped (when the base plan has them). */
    readonly auditOnly?: number;
}

/** What changed, security-wise, between two plans of one stack. */
export interface SecurityDiff {
    /** Connections opened and closed, the stack's own address sets by name (`payments/api[Pod] => internet : TCP 443`). */
    readonly opened: readonly string[];
    readonly closed: readonly string[];
    /** The firewall's part in an internet line (`via firewall: api.adyen.com`), by line. */
    readonly viaFirewall: Readonly<Record<string, string>>;
    /** The names used in the lines. */
    readonly addressNames: readonly AddressName[];
    readonly fqdnsAdded: readonly string[];
    readonly fqdnsRemoved: readonly string[];
    readonly rulesAdded: readonly string[];
    readonly rulesRemoved: readonly string[];
    readonly budgetChanges: readonly string[];
    /** Namespaces whose rollout mode changes, e.g. `shop: audit -> enforce`, and new ones (`payments: new, audit`). */
    readonly modeChanges: readonly string[];
    /** Changes that disrupt the cluster's traffic while they roll out (the Calico mode switch), each with its runbook. */
    readonly disruptive: readonly string[];
    readonly modes: readonly ModeChange[];
    /** Namespaces in audit mode after the change. */
    readonly auditNamespaces: readonly string[];
    /** Warnings the plan prints for the change that it did not print for the base. */
    readonly warningsAdded: readonly string[];
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
    const addressNames = after.addressNames ?? before.addressNames ?? [];
    const names = compileAddressNames(addressNames);
    const lines = (list: readonly string[]) => list.map((line) => parseConnectionLine(line));
    const present = (list: readonly Connection[]) => presentConnections(list, { self: true, names });
    const changed = diffConnections(lines(before.enforcedConnectionLines), lines(after.enforcedConnectionLines));
    const connections = { added: present(changed.added), removed: present(changed.removed) };
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
    const modes = modeChangesOf(before, after, connections.added, present);
    const modeChanges = modes.map((mode) => (mode.before ? `${mode.namespace}: ${mode.before} -> ${mode.after}` : `${mode.namespace}: new, ${mode.after}`));
    const verdict = (plan: PlanSecurityJson) => (plan.intentCheck ? (plan.intentCheck.passed ? "PASS" : `FAIL (${plan.intentCheck.violations.length})`) : "SKIPPED");
    const beforeViolations = new Set(before.intentCheck?.violations ?? []);
    const newViolations = (after.intentCheck?.violations ?? []).filter((violation) => !beforeViolations.has(violation));
    const beforeFindings = policyFindings(before.policies, remediations);
    const afterFindings = policyFindings(after.policies, remediations);
    const policiesIntroduced = findingsOnlyIn(afterFindings, beforeFindings);
    const dataTier = [...new Set([...dataTierEntities(before), ...dataTierEntities(after)])].sort();
    const beforeWarnings = new Set(before.warnings ?? []);
    return {
        opened: connections.added.map(formatConnection),
        closed: connections.removed.map(formatConnection),
        viaFirewall: Object.fromEntries([
            ...firewallNotes(connections.added, after),
            ...firewallNotes(connections.removed, before),
        ]),
        addressNames,
        fqdnsAdded: difference(fqdns(after), fqdns(before)),
        fqdnsRemoved: difference(fqdns(before), fqdns(after)),
        rulesAdded: difference(rules(after), rules(before)),
        rulesRemoved: difference(rules(before), rules(after)),
        budgetChanges,
        modeChanges,
        disruptive: calicoChanges(before, after),
        modes,
        auditNamespaces: after.policySets.filter((row) => row.mode === "audit").map((row) => row.namespace).sort(),
        warningsAdded: (after.warnings ?? []).filter((warning) => !beforeWarnings.has(warning)),
        intentBefore: verdict(before),
        intentAfter: verdict(after),
        newViolations,
        policiesBefore: policyVerdict(before.policies),
        policiesAfter: policyVerdict(after.policies),
        policiesIntroduced,
        policiesFixed: findingsOnlyIn(beforeFindings, afterFindings),
        blocksMerge: policiesIntroduced.some((finding) => finding.enforcementLevel === "mandatory") || newViolations.length > 0,
        groups: riskGroups(connections.added, connections.removed, before, after, new Set(dataTier), names.entities.find((entity) => entity.name === INTERNET_NAME)?.addresses),
        dataTier,
        workloads: [...new Set([...(before.workloads ?? []), ...(after.workloads ?? [])].map((workload) => workload.entity))].sort(),
    };
}

/**
 * New namespaces in audit and namespaces that switch mode. A new audit namespace counts the connections enforce
 * would allow it; a switch to enforce counts what only audit lets through in the base (the base plan's applied
 * connections minus its enforced ones), which enforce starts dropping.
 */
function modeChangesOf(before: PlanSecurityJson, after: PlanSecurityJson, opened: readonly Connection[], present: (list: readonly Connection[]) => Connection[]): ModeChange[] {
    const beforeModes = new Map(before.policySets.map((row) => [row.namespace, row.mode]));
    const touches = (namespace: string) => (connection: Connection) =>
        [connection.source, connection.destination].some((entity) => entity.type === "workload" && entity.namespace === namespace);
    let auditOnlyInBase: Connection[] | undefined;
    const auditOnly = () => {
        if (!before.connectionLines) return undefined;
        auditOnlyInBase ??= present(diffConnections(before.enforcedConnectionLines.map((line) => parseConnectionLine(line)), before.connectionLines.map((line) => parseConnectionLine(line))).added);
        return auditOnlyInBase;
    };
    const changes: ModeChange[] = [];
    for (const { namespace, mode } of [...after.policySets].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
        const was = beforeModes.get(namespace);
        if (was === mode || (was === undefined && mode !== "audit")) continue;
        if (was === undefined) {
            changes.push({ namespace, after: mode, enforceAllows: opened.filter(touches(namespace)).length });
        } else if (mode === "enforce") {
            const dropped = auditOnly()?.filter(touches(namespace)).length;
            changes.push({ namespace, before: was, after: mode, ...(dropped === undefined ? {} : { auditOnly: dropped }) });
        } else {
            changes.push({ namespace, before: was, after: mode });
        }
    }
    return changes;
}

/** Internet lines with the FQDNs the firewall allows their workload (its own rule's), by line. */
function firewallNotes(connections: readonly Connection[], plan: PlanSecurityJson): Array<[string, string]> {
    const fqdnsOf = new Map((plan.workloads ?? []).map((workload) => [workload.entity, workload.fqdns]));
    return connections.flatMap((connection): Array<[string, string]> => {
        const { source, destination } = connection;
        if (source.type !== "workload" || !isNamedEntity(destination) || destination.name !== INTERNET_NAME) return [];
        // "api.adyen.com Https:443,8443": the FQDNs whose ports the line's traffic includes.
        const fqdns = (fqdnsOf.get(source.display) ?? []).flatMap((entry) => {
            const [fqdn, ports] = entry.split(" ");
            const numbers = (ports ?? "").replace(/^[A-Za-z]+:/, "").split(",").map(Number).filter((port) => port > 0);
            return numbers.some((port) => !connection.ports.intersect(ConnectionSet.ports("TCP", port)).isEmpty()) ? [fqdn!] : [];
        });
        return [[formatConnection(connection), `via firewall: ${fqdns.length > 0 ? [...new Set(fqdns)].join(", ") : "the cluster-wide FQDNs only"}`]];
    });
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

/**
 * The group of a connection: the first of RISK_GROUPS it belongs to. With the stack's `internet` addresses known,
 * an external destination wholly outside them (the VNet, the cluster's ranges, IMDS) is not the internet.
 */
export function riskGroupOf(connection: Connection, dataTier: ReadonlySet<string>, internet?: readonly number[]): RiskGroupName {
    const { source, destination } = connection;
    if (destination.type === "workload" && dataTier.has(destination.display)) return "data-tier";
    if (destination.type === "external") return !internet || touches(destination, internet) ? "internet" : "private-addresses";
    if (source.type === "external") return "from-outside";
    if (destination.kind === "APIServer") return "api-server";
    if (source.type === "workload" && source.namespace !== destination.namespace) return "cross-namespace";
    return "within-namespace";
}

/** Whether an external entity has an address in `addresses` (an interval list: start, end, start, end, ...). */
function touches(entity: Connection["destination"], addresses: readonly number[]): boolean {
    const own = isNamedEntity(entity) ? entity.addresses : [entity.type === "external" ? entity.start : 0, entity.type === "external" ? entity.end : -1];
    for (let i = 0; i < own.length; i += 2) {
        for (let j = 0; j < addresses.length; j += 2) if (own[i]! <= addresses[j + 1]! && addresses[j]! <= own[i + 1]!) return true;
    }
    return false;
}

function riskGroups(added: readonly Connection[], removed: readonly Connection[], before: PlanSecurityJson, after: PlanSecurityJson, dataTier: ReadonlySet<string>, internetAddresses: readonly number[] | undefined): RiskGroup[] {
    const fqdnsOf = (plan: PlanSecurityJson) => new Map((plan.workloads ?? []).map((workload) => [workload.entity, workload.fqdns]));
    const beforeFqdns = fqdnsOf(before);
    const afterFqdns = fqdnsOf(after);
    const fqdnChanges = (from: ReadonlyMap<string, readonly string[]>, to: ReadonlyMap<string, readonly string[]>) =>
        [...to].flatMap(([entity, list]) => list.filter((fqdn) => !(from.get(entity) ?? []).includes(fqdn)).map((fqdn) => ({ entity, fqdn })));
    const fqdnsAdded = fqdnChanges(beforeFqdns, afterFqdns);
    const fqdnsRemoved = fqdnChanges(afterFqdns, beforeFqdns);
    const internetWorkloads = new Set([
        ...[...added, ...removed].filter((connection) => riskGroupOf(connection, dataTier, internetAddresses) === "internet").map((connection) => connection.source.display),
        ...[...fqdnsAdded, ...fqdnsRemoved].map((change) => change.entity),
    ]);
    const short = (entity: string) => entity.replace(/\[Pod\]$/, "");
    // A workload whose internet egress opens or closes as a whole gets its FQDNs on that line (firewallNotes).
    const onLines = new Set([...added, ...removed].filter((connection) => isNamedEntity(connection.destination) && connection.destination.name === INTERNET_NAME).map((connection) => connection.source.display));
    return RISK_GROUPS.map(({ name, title }) => {
        const internet = name === "internet";
        return {
            name,
            title,
            opened: added.filter((connection) => riskGroupOf(connection, dataTier, internetAddresses) === name).map(formatConnection),
            closed: removed.filter((connection) => riskGroupOf(connection, dataTier, internetAddresses) === name).map(formatConnection),
            fqdnsAdded: internet ? fqdnsAdded.map((change) => `${change.fqdn} (${short(change.entity)})`).sort() : [],
            fqdnsRemoved: internet ? fqdnsRemoved.map((change) => `${change.fqdn} (${short(change.entity)})`).sort() : [],
            firewallAllows: internet
                ? [...internetWorkloads].filter((entity) => !onLines.has(entity)).sort().map((entity) => `${short(entity)}: ${(afterFqdns.get(entity) ?? []).join(", ") || "no FQDN of its own (only the cluster-wide ones)"}`)
                : [],
            fqdnsOnLines: internet ? [...onLines].sort().map(short) : [],
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

/** What audit mode does, said once: Calico logs and allows what no policy allows; north-south stays filtered. */
const AUDIT_CONSEQUENCE = "everything is allowed and logged, egress still only through the firewall";

/** Whether the change leaves the stack's security exactly as it was (then the diff is one line). */
export function isUntouched(diff: SecurityDiff): boolean {
    const lists = [diff.opened, diff.closed, diff.fqdnsAdded, diff.fqdnsRemoved, diff.rulesAdded, diff.rulesRemoved, diff.budgetChanges, diff.modeChanges, diff.newViolations, diff.policiesIntroduced, diff.policiesFixed, diff.warningsAdded, diff.disruptive];
    return lists.every((list) => list.length === 0) && diff.intentBefore === diff.intentAfter && diff.policiesBefore === diff.policiesAfter;
}

/** The verdict parts that a rollout mode leads with: a namespace that starts or switches to audit lets everything through. */
function auditParts(diff: SecurityDiff): string[] {
    const starting = diff.modes.filter((mode) => mode.after === "audit" && mode.before === undefined);
    const switching = diff.modes.filter((mode) => mode.after === "audit" && mode.before !== undefined);
    const names = (modes: readonly ModeChange[]) => modes.map((mode) => mode.namespace).join(", ");
    const allows = starting.reduce((sum, mode) => sum + (mode.enforceAllows ?? 0), 0);
    return [
        ...(starting.length > 0 ? [`${names(starting)} ${starting.length === 1 ? "starts" : "start"} in audit: ${AUDIT_CONSEQUENCE}; enforce would allow ${plural(allows, "connection")}`] : []),
        ...(switching.length > 0 ? [`${names(switching)} ${switching.length === 1 ? "switches" : "switch"} to audit: ${AUDIT_CONSEQUENCE}`] : []),
    ];
}

/** A switch to enforce: what starts being dropped. */
function enforceParts(diff: SecurityDiff): string[] {
    return diff.modes.flatMap((mode) => {
        if (mode.after !== "enforce" || mode.before === undefined) return [];
        const count = mode.auditOnly === undefined ? "" : ` (${plural(mode.auditOnly, "connection")} only audit lets through today)`;
        return [`${mode.namespace} switches to enforce: what no policy allows starts being dropped${count}`];
    });
}

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

/**
 * The short verdict that opens a pull-request comment, most important first: a mandatory violation the change
 * introduces, a namespace that starts in (or switches to) audit, a mandatory violation it fixes, connections into the
 * data tier, internet egress and FQDNs, then the rest and new warnings; the policy pack and intent check verdicts
 * close it.
 */
export function verdictLine(diff: SecurityDiff): string {
    const parts: string[] = [];
    if (diff.disruptive.length > 0) parts.push(`DISRUPTIVE: ${diff.disruptive.map((line) => line.split(":")[0]).join(", ")} (see ${CALICO_MIGRATION_RUNBOOK})`);
    const introduced = distinct(diff.policiesIntroduced.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => finding.policy));
    const blockers: string[] = [];
    if (introduced.length > 0) blockers.push(`${plural(introduced.length, "mandatory policy fails", "mandatory policies fail")} (${introduced.join(", ")})`);
    if (diff.newViolations.length > 0) blockers.push(`the intent check fails (${plural(diff.newViolations.length, "new violation")})`);
    if (blockers.length > 0) parts.push(`blocks merge: ${blockers.join(" and ")}`);
    parts.push(...auditParts(diff));
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
    parts.push(...enforceParts(diff));
    if (diff.warningsAdded.length > 0) parts.push(plural(diff.warningsAdded.length, "new warning"));
    if (parts.length === 0 && isUntouched(diff)) parts.push("no security change");
    else if (parts.length === 0) parts.push("changes firewall rules, policy counts or advisory findings only");
    return `${parts.join("; ")}; ${checksText(diff, "; ")}`;
}

/** "policy pack PASS; intent check PASS -> FAIL (1)". */
function checksText(diff: SecurityDiff, separator: string): string {
    const change = (was: string, now: string) => (was === now ? now : `${was} -> ${now}`);
    return `policy pack ${change(diff.policiesBefore, diff.policiesAfter)}${separator}intent check ${change(diff.intentBefore, diff.intentAfter)}`;
}

/** A risk group's counts: "1 opened, 0 closed" (and FQDNs added and removed for the internet). */
function groupCount(group: RiskGroup): string {
    const counts = [`${group.opened.length} opened`, `${group.closed.length} closed`];
    if (group.name === "internet") counts.push(`${plural(group.fqdnsAdded.length, "FQDN")} added`, `${group.fqdnsRemoved.length} removed`);
    return counts.join(", ");
}

function groupLines(group: RiskGroup, diff: SecurityDiff): string[] {
    const withNote = (line: string) => (diff.viaFirewall[line] ? `${line} ${diff.viaFirewall[line]}` : line);
    // FQDNs that an internet line of their workload already names are not listed again.
    const onLine = (entry: string) => group.fqdnsOnLines.some((workload) => entry.endsWith(` (${workload})`));
    return [
        ...group.closed.map((line) => `- ${withNote(line)}`),
        ...group.opened.map((line) => `+ ${withNote(line)}`),
        ...group.fqdnsRemoved.filter((entry) => !onLine(entry)).map((line) => `- FQDN ${line}`),
        ...group.fqdnsAdded.filter((entry) => !onLine(entry)).map((line) => `+ FQDN ${line}`),
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

function modeLines(diff: SecurityDiff): string[] {
    return diff.modes.map((mode) => {
        // The verdict says what audit does in full; the lines keep to a 120-column terminal.
        if (mode.before === undefined) return `+ ${mode.namespace}: new, ${mode.after}: everything is allowed and logged; enforce would allow ${plural(mode.enforceAllows ?? 0, "connection")}`;
        if (mode.after === "audit") return `~ ${mode.namespace}: ${mode.before} -> audit: everything is allowed and logged`;
        const count = mode.auditOnly === undefined ? "" : `; ${plural(mode.auditOnly, "connection")} only audit lets through today`;
        return `~ ${mode.namespace}: ${mode.before} -> ${mode.after}: what no policy allows starts being dropped${count}`;
    });
}

/** The changed connections as a flowchart of the affected workloads; DNS to CoreDNS is left out (the legend says so). */
export function securityDiffFlowchart(diff: SecurityDiff, budget: GraphBudget = COMMENT_GRAPH_BUDGET): Flowchart {
    const names = compileAddressNames(diff.addressNames);
    const graphConnection = (line: string, change: "added" | "removed"): GraphConnection => ({
        connection: parseConnectionLine(line, names),
        change,
        ...(diff.viaFirewall[line] ? { note: diff.viaFirewall[line] } : {}),
    });
    const connections = [...diff.opened.map((line) => graphConnection(line, "added")), ...diff.closed.map((line) => graphConnection(line, "removed"))];
    return connectionFlowchart(connections, { dataTier: new Set(diff.dataTier), allWorkloads: diff.workloads, budget, auditNamespaces: new Set(diff.auditNamespaces), hideDns: true });
}

/**
 * How long one stack's Markdown may get: the workflow posts both stacks in one comment and cuts it at 60000
 * characters (GitHub rejects a comment over 65536); its own header and the marker take the rest.
 */
export const COMMENT_SECTION_BUDGET = 29_000;

/** Longest lists first cut to these many lines, then shorter, until a stack's Markdown fits its budget. */
const LIST_LIMITS = [Infinity, 200, 80, 30, 10, 3] as const;

/**
 * The diff as text (`+`/`-` lines) or Markdown for a pull-request comment (with a Mermaid picture). A stack the
 * change leaves untouched is one line. Markdown keeps within `budget` characters: long lists are cut, with a note.
 */
export function formatSecurityDiff(diff: SecurityDiff, stack: string, format: "text" | "md", budget = COMMENT_SECTION_BUDGET): string {
    if (isUntouched(diff)) return `${stack}: no security change (${checksText(diff, ", ")})\n`;
    if (format === "text") return diffText(diff, stack);
    for (const limit of LIST_LIMITS) {
        const md = diffMarkdown(diff, stack, limit, true);
        if (md.length <= budget) return md;
    }
    return diffMarkdown(diff, stack, 0, false);
}

/** The sections of lists, in reading order; `limit` cuts each list (with a closing line that says how many are left out). */
function diffSections(diff: SecurityDiff, limit: number): Array<[string, string[]]> {
    const cut = (lines: string[]) => (lines.length <= limit ? lines : [...lines.slice(0, limit), `  ... ${lines.length - limit} more: npm run diff -- --format text prints them all`]);
    const policyBody = [
        ...diff.policiesIntroduced.flatMap((finding) => findingLines(finding).map((line, index) => `${index === 0 ? "! " : "  "}${line}`)),
        ...diff.policiesFixed.map((finding) => `~ fixed: ${finding.policy} (${finding.enforcementLevel}) on ${finding.resource ?? "the stack"}: ${finding.message}`),
    ];
    const changedGroups = diff.groups.filter((group) => groupLines(group, diff).length > 0);
    return [
        ["Policy pack", [`${diff.policiesBefore} -> ${diff.policiesAfter}`, ...cut(policyBody)]],
        ["Disruptive changes", diff.disruptive.map((line) => `! ${line}`)],
        ["Warnings", cut(diff.warningsAdded.map((line) => `! ${line}`))],
        ["Rollout modes", cut(modeLines(diff))],
        ...changedGroups.map((group): [string, string[]] => [`${group.title} (${groupCount(group)})`, cut(groupLines(group, diff))]),
        ["Firewall rules", cut([...diff.rulesRemoved.map((line) => `- ${line}`), ...diff.rulesAdded.map((line) => `+ ${line}`)])],
        ["Policy budgets", cut(diff.budgetChanges.map((line) => `~ ${line}`))],
        ["Intent check", [`${diff.intentBefore} -> ${diff.intentAfter}`, ...cut(diff.newViolations.map((line) => `! ${line}`))]],
    ];
}

function diffText(diff: SecurityDiff, stack: string): string {
    const lines = [`Security diff of stack ${stack}: ${verdictLine(diff)}`];
    if (diff.groups.some((group) => groupLines(group, diff).length > 0)) {
        lines.push("", "What the changed connections cross:", ...diff.groups.map((group) => `  ${group.title}: ${groupCount(group)}`));
    }
    for (const [title, body] of diffSections(diff, Infinity)) {
        if (body.length === 0) continue;
        lines.push("", `${title}:`, ...body.map((line) => `  ${line}`));
    }
    return `${lines.join("\n")}\n`;
}

function diffMarkdown(diff: SecurityDiff, stack: string, limit: number, withPicture: boolean): string {
    const lines = [`### Security diff: \`${stack}\``, "", `**${verdictLine(diff)}**`, ""];
    if (diff.policiesIntroduced.length > 0) {
        lines.push("| New violation | Level | Resource | Remediation |", "| --- | --- | --- | --- |");
        for (const finding of diff.policiesIntroduced.slice(0, limit)) {
            lines.push(`| **${cell(finding.policy)}**: ${cell(finding.message)} | ${finding.enforcementLevel} | ${cell(finding.resource ?? "the stack")} | ${cell(finding.remediation ?? "")} |`);
        }
        if (diff.policiesIntroduced.length > limit) lines.push(`| ... ${diff.policiesIntroduced.length - limit} more (Policy pack, below) | | | |`);
        lines.push("");
    }
    lines.push("| What the changed connections cross | Opened | Closed |", "| --- | ---: | ---: |");
    for (const group of diff.groups) {
        const changes = [...group.fqdnsAdded.map((line) => `+${line}`), ...group.fqdnsRemoved.map((line) => `-${line}`)];
        const fqdns = group.name === "internet" && changes.length > 0 ? ` (FQDNs: ${changes.slice(0, Math.max(limit, 1)).map(cell).join(", ")}${changes.length > Math.max(limit, 1) ? ", ..." : ""})` : "";
        lines.push(`| ${group.title}${fqdns} | ${group.opened.length} | ${group.closed.length} |`);
    }
    lines.push("");
    if (diff.opened.length + diff.closed.length > 0) {
        if (withPicture) {
            const graph = securityDiffFlowchart(diff);
            lines.push("```mermaid", graph.text.trimEnd(), "```", "");
            const notes = [...(graph.note ? [`${graph.note}; the lists below have every connection`] : []), ...graph.legend];
            if (notes.length > 0) lines.push(`_${notes.map(cell).join(". ")}._`, "");
        } else {
            lines.push("_The picture is left out: this change is too large for one pull-request comment._", "");
        }
    }
    for (const [title, body] of diffSections(diff, limit)) {
        const quiet = (title === "Policy pack" || title === "Intent check") && body.length === 1 && body[0] === "PASS -> PASS";
        if (body.length === 0 || quiet) continue;
        // The sections that carry the verdict's first parts are open; the rest are one click away.
        const open = ["Intent check", "Policy pack", "Warnings", "Rollout modes"].includes(title) || title.startsWith(RISK_GROUPS[0].title) || title.startsWith(RISK_GROUPS[1].title);
        lines.push(`<details${open ? " open" : ""}><summary>${title}</summary>`, "", "```diff", ...body, "```", "", "</details>", "");
    }
    return lines.join("\n");
}

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}
