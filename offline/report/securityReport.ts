import type { KubeObject } from "../../core/calico";
import type { StackConfig } from "../../core/config";
import type { FqdnRule } from "../../core/common";
import { stackAddressNames, type SegmentationIntent } from "../../core/intent";
import { GLOBAL_POLICY_BUDGET, NAMESPACE_POLICY_BUDGET, renderRepresentativeWorkloads } from "../../core/policies";
import { type AddressName, type Analysis, analyze, compileAddressNames, Connection, ConnectionSet, diffConnections, explain, formatConnection, parseConnectionLine, presentConnections } from "../../reach";
import { calicoCompatibilityWarning, tigeraOperatorChartVersion } from "../../core/calico";
import { appliedObjects } from "../runtime";
import { asEnforced, asManifests, checkIntent, IntentCheck } from "../../core/proof";
import type { MockRun } from "../runtime";
import { wrapParts } from "./planReport";

/** One firewall rule as a row of the plan's table. */
export interface FirewallRuleRow {
    readonly collection: string;
    readonly priority: string;
    readonly rule: string;
    readonly source: string;
    readonly destination: string;
    readonly ports: string;
}

/** A namespace's policy count against the ADR budget. */
export interface PolicyBudgetRow {
    readonly namespace: string;
    readonly mode: string;
    readonly policies: number;
    readonly budget: number;
}

/** A declared workload as the security diff needs it: its entity, its labels, the FQDNs the firewall allows it. */
export interface WorkloadFacts {
    /** Entity display, as in connection lines: `shop/backend[Pod]`. */
    readonly entity: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The workload's own firewall FQDN allowances (`api.stripe.com Https:443`), sorted. */
    readonly fqdns: readonly string[];
}

/** The security half of the plan: what the boundary allows, and whether that matches the intent. */
export interface SecurityReport {
    readonly firewallRules: readonly FirewallRuleRow[];
    readonly policySets: readonly PolicyBudgetRow[];
    readonly globalPolicies: { readonly count: number; readonly budget: number };
    /** Connections of the declared workloads, as the applied policies allow them (audit namespaces allow all). */
    readonly connections: readonly Connection[];
    /** Connection lines of `connections`, sorted. */
    readonly connectionLines: readonly string[];
    /** Connection lines as enforcement would allow them (audit namespaces evaluated as enforce); the security diff compares these. */
    readonly enforcedConnectionLines: readonly string[];
    readonly intentCheck: IntentCheck | undefined;
    /** The declared workloads (and infrastructure and DNS pods), sorted by entity. */
    readonly workloads: readonly WorkloadFacts[];
    /** Who runs Calico, and in self-managed mode the pinned release. */
    readonly calico: CalicoFacts;
    /**
     * Self-managed audit: connections the staged policies would deny (allowed today), each with the policy that would
     * deny it (`shop/frontend[Pod] => shop/database[Pod] : TCP 5432  (egress: NetworkPolicy shop/default-deny-all ...)`).
     */
    readonly stagedDenials: readonly string[];
    /** The stack's own address sets by name (internet, VNet, pod CIDR, ...), for output that names them. */
    readonly addressNames: readonly AddressName[];
}

/** The Calico side of the plan. */
export interface CalicoFacts {
    readonly mode: "aks-managed" | "self-managed";
    /** Pinned Calico release (self-managed). */
    readonly version?: string;
    /** The tigera-operator chart version installing it (self-managed). */
    readonly chartVersion?: string;
    /** Kubernetes minors Tigera tests the release against (self-managed). */
    readonly testedKubernetes?: readonly string[];
    /** Set when the cluster's Kubernetes version is not among them. */
    readonly warning?: string;
    /** Calico tiers the stack creates, `name (order N, defaultAction A)`. */
    readonly tiers: readonly string[];
    /** Staged policies the stack creates (not enforcing). */
    readonly stagedPolicies: number;
}

/** Builds the security report from what the program registered and the validated config. */
export function buildSecurityReport(run: MockRun, config: StackConfig): SecurityReport {
    const applied = appliedObjects(run);
    const intent = config.segmentation;
    const workloads = intent ? renderRepresentativeWorkloads(intent) : [];
    const declared = new Set(workloads.filter((pod) => pod.metadata.namespace !== "kube-system").map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}[Pod]`));
    const involvesDeclared = (connection: Connection) => declared.has(connection.source.display) || declared.has(connection.destination.display);
    const asIs = intent ? analyze(asManifests([...applied, ...workloads])) : undefined;
    const connections = asIs ? asIs.connections.filter(involvesDeclared) : [];
    const enforcedAnalysis = intent ? analyze(asManifests([...asEnforced(applied), ...workloads])) : undefined;
    const enforced = enforcedAnalysis ? enforcedAnalysis.connections.filter(involvesDeclared) : [];
    const stagedCount = applied.filter((object) => object.kind.startsWith("Staged")).length;
    return {
        calico: calicoFacts(config, applied, stagedCount),
        stagedDenials: enforcedAnalysis && stagedCount > 0 ? stagedDenials(connections, enforced, enforcedAnalysis, stagedNames(applied)) : [],
        firewallRules: firewallRows(run),
        policySets: policyBudgetRows(applied),
        globalPolicies: { count: applied.filter((object) => object.kind === "GlobalNetworkPolicy").length, budget: GLOBAL_POLICY_BUDGET },
        connections,
        connectionLines: connections.map(formatConnection),
        enforcedConnectionLines: enforced.map(formatConnection),
        intentCheck: intent ? checkIntent(intent, applied, workloads) : undefined,
        workloads: intent ? workloadFacts(intent, workloads) : [],
        addressNames: intent ? stackAddressNames(intent) : [],
    };
}

function calicoFacts(config: StackConfig, applied: readonly KubeObject[], stagedPolicies: number): CalicoFacts {
    const tiers = applied.filter((object) => object.kind === "Tier").map((tier) => {
        const spec = (tier.spec ?? {}) as { order?: number; defaultAction?: string };
        return `${tier.metadata.name} (order ${spec.order ?? "none"}, defaultAction ${spec.defaultAction ?? "Deny"})`;
    });
    const calico = config.cluster.calico;
    if (calico.mode === "aks-managed") return { mode: "aks-managed", tiers, stagedPolicies };
    const warning = calicoCompatibilityWarning(calico.release, config.cluster.kubernetesVersion);
    return {
        mode: "self-managed",
        version: calico.release.version,
        chartVersion: tigeraOperatorChartVersion(calico.release),
        testedKubernetes: calico.release.kubernetes,
        ...(warning ? { warning } : {}),
        tiers,
        stagedPolicies,
    };
}

/** Each connection allowed today that the as-enforced view (staged policies applied) denies, with who denies it. */
/** `namespace/name` (global: `/name`) of every staged policy: their enforced twins carry the same names. */
function stagedNames(applied: readonly KubeObject[]): Set<string> {
    return new Set(applied.filter((object) => object.kind.startsWith("Staged")).map((object) => `${object.metadata.namespace ?? ""}/${object.metadata.name}`));
}

function stagedDenials(connections: readonly Connection[], enforced: readonly Connection[], enforcedAnalysis: Analysis, staged: ReadonlySet<string>): string[] {
    const after = new Map(enforced.map((connection) => [`${connection.source.display} => ${connection.destination.display}`, connection]));
    const lines: string[] = [];
    for (const connection of connections) {
        const key = `${connection.source.display} => ${connection.destination.display}`;
        const denied = connection.ports.subtract(after.get(key)?.ports ?? ConnectionSet.NONE);
        if (denied.isEmpty()) continue;
        lines.push(`${key} : ${denied.format()}  (${deciders(enforcedAnalysis, connection, staged)})`);
    }
    return lines.sort();
}

/** Which policy (or end of tier) denies a connection in an analysis, per direction. */
function deciders(analysis: Analysis, connection: Connection, staged: ReadonlySet<string>): string {
    let explanation;
    try {
        explanation = explain(analysis, connection.source.display, connection.destination.display);
    } catch {
        return "denied once staged policies enforce";
    }
    const sides: string[] = [];
    for (const trace of [explanation.egress, explanation.ingress]) {
        for (const tier of trace.tiers) {
            const step = tier.steps.find((candidate) => candidate.effect === "denied");
            const stagedTwin = step !== undefined && staged.has(`${step.policy.namespace ?? ""}/${step.policy.name}`);
            const decider = step ? `${stagedTwin ? "staged " : ""}${step.policy.display}` : !tier.dropped.isEmpty() ? `end of tier ${tier.tier.name}` : undefined;
            if (decider) {
                sides.push(`${trace.direction}: ${decider}`);
                break;
            }
        }
    }
    return sides.length > 0 ? `would be denied by ${sides.join("; ")}` : "denied once staged policies enforce";
}

/** Labels of the representative pods, and each owner's FQDNs (the firewall rule of a workload is named after it). */
function workloadFacts(intent: SegmentationIntent, pods: readonly KubeObject[]): WorkloadFacts[] {
    const fqdnText = (rules: readonly FqdnRule[]) => rules.map((rule) => `${rule.fqdn} ${rule.protocol}:${rule.ports.join(",")}`).sort();
    const fqdnsByWorkload = new Map<string, string[]>([
        ...intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => [`${namespace.name}/${workload.name}`, fqdnText(workload.egress.fqdns)] as [string, string[]])),
        ...intent.infrastructure.map((infra) => [`${infra.name}/${infra.name}-agent`, fqdnText(infra.egress.fqdns)] as [string, string[]]),
    ]);
    return pods
        .map((pod) => {
            const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
            return { entity: `${name}[${pod.kind}]`, labels: pod.metadata.labels ?? {}, fqdns: fqdnsByWorkload.get(name) ?? [] };
        })
        .sort((a, b) => a.entity.localeCompare(b.entity));
}

function firewallRows(run: MockRun): FirewallRuleRow[] {
    const rows: FirewallRuleRow[] = [];
    for (const group of run.resources.filter((resource) => resource.type === "azure-native:network:FirewallPolicyRuleCollectionGroup")) {
        const inputs = group.inputs as { ruleCollectionGroupName: string; priority: number; ruleCollections: Array<{ name: string; priority: number; rules: Array<Record<string, any>> }> };
        for (const collection of inputs.ruleCollections ?? []) {
            for (const rule of collection.rules ?? []) {
                const destination = [
                    ...(rule.fqdnTags ?? []).map((tag: string) => `tag:${tag}`),
                    ...(rule.targetFqdns ?? []),
                    ...(rule.destinationFqdns ?? []),
                    ...(rule.destinationAddresses ?? []),
                ].join(", ");
                const ports = rule.ruleType === "ApplicationRule"
                    ? (rule.protocols ?? []).map((protocol: { protocolType: string; port: number }) => `${protocol.protocolType}:${protocol.port}`).join(", ")
                    : `${(rule.ipProtocols ?? []).join("/")} ${(rule.destinationPorts ?? []).join(",")}`;
                rows.push({
                    collection: `${inputs.ruleCollectionGroupName}/${collection.name}`,
                    priority: `${inputs.priority}/${collection.priority}`,
                    rule: rule.name,
                    source: (rule.sourceAddresses ?? []).join(", "),
                    destination,
                    ports,
                });
            }
        }
    }
    return rows;
}

function policyBudgetRows(applied: readonly KubeObject[]): PolicyBudgetRow[] {
    return applied
        .filter((object) => object.kind === "Namespace")
        .map((namespace) => ({
            namespace: namespace.metadata.name,
            mode: namespace.metadata.labels?.["aks-zero-trust.io/mode"] ?? "-",
            policies: applied.filter((object) => object.metadata.namespace === namespace.metadata.name && object.kind.endsWith("NetworkPolicy")).length,
            budget: NAMESPACE_POLICY_BUDGET,
        }))
        .sort((a, b) => a.namespace.localeCompare(b.namespace));
}

/** The report as text sections, for the plan's terminal output. */
export function securityReportText(report: SecurityReport, options: { readonly verbose?: boolean } = {}): string {
    const lines: string[] = [...calicoLines(report.calico), ""];
    // Every rule's source is the node subnet (overlay SNATs pod traffic to node IPs): named once, not on every row.
    const sources = [...new Set(report.firewallRules.map((row) => row.source))];
    const oneSource = sources.length === 1;
    lines.push(oneSource
        ? `Firewall rules (source of every rule: ${sources[0]}, the node subnet; overlay SNATs pod traffic to node IPs):`
        : "Firewall rules (source is the node subnet: overlay SNATs pod traffic to node IPs):");
    lines.push(...firewallTable(report.firewallRules, !oneSource));
    lines.push("", "Policy sets (ADR 008 budget):");
    lines.push(...table([{ header: "namespace" }, { header: "mode" }, { header: "policies" }], report.policySets.map((row) => [row.namespace, row.mode, `${row.policies}/${row.budget}`])));
    lines.push(`  global policies: ${report.globalPolicies.count}/${report.globalPolicies.budget}`);
    lines.push("", "Reachability (computed from the objects the stack applies; representative pods stand for the declared workloads):");
    lines.push(...reachabilityLines(report, options.verbose === true));
    const check = report.intentCheck;
    lines.push("", "Intent check:");
    if (!check) {
        lines.push("  SKIPPED (no segmentation intent declared)");
    } else {
        if (check.auditNamespaces.length > 0) {
            lines.push(report.calico.mode === "self-managed"
                ? `  note: ${check.auditNamespaces.join(", ")} in audit mode: their policies are staged (Goldmane shows what they would deny), not enforced; the check evaluates the staged policies as enforced, and the every-mode guardrails as deployed`
                : `  note: ${check.auditNamespaces.join(", ")} in audit mode: undeclared traffic is logged, not blocked; the check evaluates them as enforce would, and the every-mode guardrails as deployed`);
        }
        lines.push(...check.violations.map((violation) => `  ${violation}`));
        lines.push(check.passed ? `  PASS (${intentCheckCount(check)})` : `  FAIL (${check.violations.length} violation${check.violations.length === 1 ? "" : "s"})`);
    }
    return lines.join("\n");
}

/** The Calico mode and, self-managed, the pinned release, its tiers and staged policies. */
function calicoLines(calico: CalicoFacts): string[] {
    if (calico.mode === "aks-managed") {
        return ["Calico: aks-managed (AKS installs it with the cluster; its version follows the Kubernetes version; policies on the internal crd.projectcalico.org/v1 API)"];
    }
    return [
        `Calico: self-managed, pinned ${calico.version} (Helm chart tigera-operator ${calico.chartVersion}; Installation AKS/AzureVNET, APIServer, Goldmane, Whisker; policies on projectcalico.org/v3)`,
        `  tested by Tigera against Kubernetes ${(calico.testedKubernetes ?? []).join(", ")}`,
        ...(calico.warning ? [`  warning: ${calico.warning}`] : []),
        `  tiers: ${calico.tiers.length > 0 ? `${calico.tiers.join(", ")}, then default` : "default only"}; staged policies (evaluated, not enforced): ${calico.stagedPolicies}`,
    ];
}

/** What the intent check compared, in words: "72 allowed connections checked against the intent, 23 declared ones found allowed". */
export function intentCheckCount(check: Pick<IntentCheck, "allowedChecked" | "declaredChecked">): string {
    return `${check.allowedChecked} allowed connections checked against the intent, ${check.declaredChecked} declared ones found allowed`;
}

/** Tables keep to a 120-column terminal: the columns named as wrappable wrap their cells after a comma. */
const TABLE_WIDTH = 120;

/** A table column: its header, and where its cells may break when the table is too wide ("" never). */
interface Column {
    readonly header: string;
    readonly breakAfter?: string;
}

function table(columns: readonly Column[], rows: readonly string[][]): string[] {
    const { head, body } = tableParts(columns, rows);
    return [...head, ...body.flat()];
}

/** The header lines and each row's lines (a wrapped row takes several), columns sized to fit TABLE_WIDTH. */
function tableParts(columns: readonly Column[], rows: readonly string[][]): { head: string[]; body: string[][] } {
    const headers = columns.map((column) => column.header);
    const wrappable = columns.flatMap((column, index) => (column.breakAfter ? [index] : []));
    const wrap = (cell: string, column: number, width: number) => wrapParts(cell, width, columns[column].breakAfter || ",");
    const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
    // A cell breaks only after its separators, so its longest piece sets the narrowest the column can get.
    const narrowest = headers.map((header, column) => Math.max(header.length, ...rows.flatMap((row) => wrap(row[column], column, 0).map((part) => part.length))));
    const total = () => 2 + widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
    // Narrow the wrappable columns, widest first, until the table fits or none can narrow further.
    while (total() > TABLE_WIDTH) {
        const candidates = wrappable.filter((column) => widths[column] > narrowest[column]);
        if (candidates.length === 0) break;
        const widest = candidates.reduce((best, column) => (widths[column] > widths[best] ? column : best));
        widths[widest] -= 1;
    }
    const render = (cells: readonly string[]): string[] => {
        const wrapped = cells.map((cell, column) => (cell.length > widths[column] ? wrap(cell, column, widths[column]) : [cell]));
        const height = Math.max(...wrapped.map((lines) => lines.length));
        return Array.from({ length: height }, (_, line) => `  ${wrapped.map((lines, column) => (lines[line] ?? "").padEnd(widths[column])).join("  ").trimEnd()}`);
    };
    return { head: [...render(headers), ...render(widths.map((width) => "-".repeat(width)))], body: rows.map(render) };
}

/**
 * The firewall rules, one table; each rule collection group is a heading line above its rows, so that the rows
 * carry only the collection's own name and priority.
 */
function firewallTable(rows: readonly FirewallRuleRow[], withSource: boolean): string[] {
    const split = rows.map((row) => {
        const [group, collection] = row.collection.split("/");
        const [groupPriority, collectionPriority] = row.priority.split("/");
        return { row, group: `${group} (priority ${groupPriority})`, collection: collection ?? group, priority: collectionPriority ?? groupPriority };
    });
    const { head, body } = tableParts(
        [{ header: "collection" }, { header: "priority" }, { header: "rule" }, ...(withSource ? [{ header: "source", breakAfter: "," }] : []), { header: "destination (FQDNs, tags, addresses)", breakAfter: "," }, { header: "ports", breakAfter: "," }],
        split.map(({ row, collection, priority }) => [collection, priority, row.rule, ...(withSource ? [row.source] : []), row.destination, row.ports]),
    );
    const lines = [...head];
    split.forEach(({ group }, index) => {
        if (index === 0 || split[index - 1].group !== group) lines.push(`  rule collection group ${group}:`);
        lines.push(...body[index]);
    });
    return lines;
}

/**
 * The connections of the declared workloads. Where a namespace audits, the list is what enforce would allow (what
 * the intent promises), followed by what audit lets through today on top of it: the Calico log-denied policy logs
 * those flows and allows them. That is nearly every pair of pods (it grows with the square of the namespaces), so
 * each audit namespace gets one summary line, and `verbose` lists the pairs, marked `!`.
 */
function reachabilityLines(report: SecurityReport, verbose: boolean): string[] {
    if (!report.intentCheck && report.connectionLines.length === 0) return ["  (no segmentation intent declared)"];
    const audit = report.intentCheck?.auditNamespaces ?? [];
    // The stack's own ranges print by name (internet, VNet, ...): one line where the policy has one rule.
    const names = compileAddressNames(report.addressNames);
    const present = (connections: readonly Connection[]) => presentConnections(connections, { self: true, names });
    if (audit.length === 0) return present(report.connections).map((connection) => `  ${formatConnection(connection)}`);
    const enforced = report.enforcedConnectionLines.map((line) => parseConnectionLine(line));
    const auditOnly = present(diffConnections(enforced, report.connections).added);
    const lines = [`  as enforce would allow it (${audit.join(", ")} in audit mode):`, ...present(enforced).map((connection) => `    ${formatConnection(connection)}`)];
    if (auditOnly.length === 0) return lines;
    const staged = report.stagedDenials.length > 0;
    if (verbose) {
        // Self-managed: each pair names the staged policy that would deny it (the report's stagedDenials).
        const stagedDecider = new Map(report.stagedDenials.map((line) => [line.split(" : ")[0]!, line.slice(line.lastIndexOf("  ("))]));
        return [
            ...lines,
            staged
                ? "  audit lets through today as well (the staged policies would deny it; Goldmane and Whisker show it as a pending deny):"
                : `  audit lets through today as well (logged by log-denied, not blocked until ${audit.join(", ")} enforce):`,
            ...auditOnly.map(formatConnection).map((line) => `  ! ${line}${stagedDecider.get(line.split(" : ")[0]!) ?? ""}`),
        ];
    }
    // Each pair is counted under the audit namespace whose policies let it through: the source's (egress) when it
    // audits, else the destination's (ingress). Pairs between other namespaces (peers, undeclared ones) are let
    // through by the zero-trust-baseline, which audits in an audit stack: they are counted together.
    const auditing = new Set(audit);
    const namespaceOf = (entity: Connection["source"]) => (entity.type === "workload" ? entity.namespace : undefined);
    const others = "other namespaces";
    const counts = new Map<string, number>();
    for (const connection of auditOnly) {
        const namespace = [namespaceOf(connection.source), namespaceOf(connection.destination)].find((side) => side !== undefined && auditing.has(side)) ?? others;
        counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    }
    const order = [...counts.keys()].sort((a, b) => (a === others ? 1 : b === others ? -1 : a.localeCompare(b)));
    const what = staged ? "everything else allowed, a staged deny in Goldmane" : "everything else allowed and logged";
    return [
        ...lines,
        ...order.map((namespace) => `  ! ${namespace} audit: ${what}, ${counts.get(namespace)} pair${counts.get(namespace) === 1 ? "" : "s"} (--verbose lists them)`),
    ];
}
