/**
 * ADR 008's quarterly review ("delete unused policies"), from evidence: the entries of the intent that nothing used
 * in the span the evidence covers, each proposed for removal with its evidence and a confidence, and every other
 * entry kept with the reason: in use, or out of the evidence's sight. Pure: evidence in, proposals out; the checks
 * of a patch (plan PASS, a diff that only closes) run in offline/edit.
 *
 * What the evidence can see:
 * - The firewall logs (firewallLog.ts) see north-south traffic only as the node that sent it: overlay SNATs pod
 *   traffic to the node's address (REFERENCE.md section 2), and every workload rule has the node subnet as its
 *   source, so the firewall logs the first rule that matches. A request for an FQDN therefore keeps every allowance
 *   that covers it, whichever rule the firewall named. CIDRs that stay inside the VNet or cluster never reach it.
 * - A cluster dump sees what runs now: pods, and the pod templates of controllers that can start more (a Deployment
 *   scaled to zero, a CronJob between runs).
 * - East-west traffic needs flow logs; without them, flows between workloads that run are kept.
 */
import { containsAddress, ipv4ToNumber, parseIpv4Block, type FqdnRule } from "../common";
import type { EgressIntent, ExternalIngress, SegmentationIntent } from "../intent";
import { compileLabelSelector, matchesSelector, parseSelector, type LabelSelectorInput, type Selector } from "../../reach";
import type { ClusterInventory, InventoryWorkload } from "./clusterAddresses";
import type { FirewallLogRow, FirewallLogTable } from "./firewallLog";

/** The shortest span that may call an allowance unused, unless `--min-span` says otherwise. */
export const DEFAULT_MIN_SPAN_DAYS = 30;
/** A quarter: a span this long also saw what runs once a quarter. Shorter (but above the minimum) is medium confidence. */
export const QUARTER_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

export type Confidence = "high" | "medium";

/** Who holds an egress allowance. */
export type EgressHolder =
    | { readonly kind: "workload"; readonly namespace: string; readonly workload: string }
    | { readonly kind: "infrastructure"; readonly name: string }
    | { readonly kind: "cluster" };

/** Who holds an ingressFrom list. */
export type IngressHolder =
    | { readonly kind: "workload"; readonly namespace: string; readonly workload: string }
    | { readonly kind: "infrastructure"; readonly name: string }
    | { readonly kind: "peer"; readonly name: string };

/** An entry of the stack config that a review can remove. */
export type ReviewTarget =
    | { readonly kind: "fqdn"; readonly holder: EgressHolder; readonly fqdn: string }
    | { readonly kind: "cidr"; readonly holder: EgressHolder; readonly cidr: string }
    | { readonly kind: "workload"; readonly namespace: string; readonly workload: string }
    | { readonly kind: "namespace"; readonly namespace: string }
    | { readonly kind: "override"; readonly namespace: string; readonly name: string }
    | { readonly kind: "infrastructure"; readonly name: string }
    | { readonly kind: "peer"; readonly name: string }
    | { readonly kind: "flow"; readonly from: string; readonly to: string }
    | { readonly kind: "ingressFrom"; readonly holder: IngressHolder; readonly namespace: string };

/** A proposed removal. */
export interface Removal {
    readonly target: ReviewTarget;
    /** Why nothing uses it, from the evidence. */
    readonly evidence: string;
    readonly confidence: Confidence;
    /** Entries that go with it: the flows of a removed workload, the ingressFrom entries naming a removed namespace. */
    readonly dependents: readonly ReviewTarget[];
}

/** An entry the review keeps, and why. */
export interface KeptEntry {
    readonly target: ReviewTarget;
    /** `in use`: the evidence shows it used; `not visible`: the evidence cannot tell. */
    readonly verdict: "in use" | "not visible";
    readonly reason: string;
}

/** The time a log covers. */
export interface LogSpan {
    readonly table: FirewallLogTable;
    readonly from: string;
    readonly to: string;
    readonly days: number;
    readonly rows: number;
}

/** What the review read and what it concludes. */
export interface Review {
    readonly spans: readonly LogSpan[];
    /** The time the flow logs cover, when they were given and carry times. */
    readonly flowSpan?: FlowSpan;
    readonly minSpanDays: number;
    /** The firewall policy whose rows were read; rows of other policies are counted, not read. */
    readonly firewallPolicy: string;
    readonly otherPolicyRows: number;
    readonly removals: readonly Removal[];
    readonly kept: readonly KeptEntry[];
}

/** The time flow logs cover. */
export interface FlowSpan {
    readonly from: string;
    readonly to: string;
    readonly days: number;
    readonly flows: number;
}

/** One side of an allowed east-west flow, as flow logs (Calico's Goldmane, goldmaneFlowLog.ts) name it. */
export interface FlowTrafficEndpoint {
    readonly type: string;
    readonly namespace: string;
    /** Labels every pod of the flow shares. */
    readonly labels: Readonly<Record<string, string>>;
}

/** Flow logs: the flows enforcement allowed, and the window of every flow read. */
export interface FlowEvidence {
    readonly allowed: ReadonlyArray<{ readonly source: FlowTrafficEndpoint; readonly destination: FlowTrafficEndpoint; readonly protocol: string; readonly destinationPort?: number; readonly connections: number; readonly endTime?: string }>;
    /** Start and end times of every flow read (allowed or not). */
    readonly windows: ReadonlyArray<{ readonly startTime?: string; readonly endTime?: string }>;
}

/** Where an allowance sits on the firewall (core/firewall allowancePlacements): the names the logs carry. */
export interface FirewallPlacement {
    readonly holder: EgressHolder;
    readonly kind: "fqdn" | "cidr";
    readonly value: string;
    readonly group: string;
    readonly collection: string;
    readonly rule: string;
}

/** The intent and the evidence. */
export interface ReviewInput {
    readonly intent: SegmentationIntent;
    /** The cluster-wide allowlist, `aks-zero-trust:egress.fqdns`. */
    readonly clusterFqdns: readonly FqdnRule[];
    /** The stack's firewall policy (the logs' Policy column) and where each allowance sits in it. */
    readonly firewall: { readonly policy: string; readonly placements: readonly FirewallPlacement[] };
    readonly firewallRows: readonly FirewallLogRow[];
    readonly cluster: ClusterInventory;
    /** Flow logs, when the cluster has them (self-managed Calico's Goldmane); without them flows are not judged. */
    readonly flows?: FlowEvidence;
    readonly minSpanDays?: number;
}

/** Reviews the intent against the evidence. */
export function reviewIntent(input: ReviewInput): Review {
    const { intent, cluster } = input;
    const minSpanDays = input.minSpanDays ?? DEFAULT_MIN_SPAN_DAYS;
    const firewallPolicy = input.firewall.policy;
    const ours = input.firewallRows.filter((row) => row.policy === undefined || row.policy.toLowerCase() === firewallPolicy.toLowerCase());
    const spans = logSpans(ours);

    const removals: Removal[] = [];
    const kept: KeptEntry[] = [];
    const removed = new Set<string>();
    const remove = (removal: Removal) => {
        removals.push(removal);
        removed.add(targetKey(removal.target));
    };

    // Namespaces, workloads and overrides, from the dump.
    for (const namespace of intent.namespaces) {
        const inNamespace = cluster.workloads.filter((workload) => workload.namespace === namespace.name);
        const nsTarget: ReviewTarget = { kind: "namespace", namespace: namespace.name };
        if (cluster.namespaces && !cluster.namespaces.has(namespace.name)) {
            remove({ target: nsTarget, evidence: `not in the cluster dump, which lists ${cluster.namespaces.size} namespace(s)`, confidence: "high", dependents: [] });
            continue;
        }
        const verdicts = namespace.workloads.map((workload) => ({ workload, ...liveness(inNamespace, workload.labels, cluster) }));
        if (verdicts.every((verdict) => verdict.absent) && inNamespace.length === 0) {
            remove({
                target: nsTarget,
                evidence: `no pod and no controller in namespace ${namespace.name} (${namespace.workloads.length} declared workload(s)); the stack manages this Namespace, so the patch deletes it with whatever it still holds`,
                confidence: cluster.namespaces ? "high" : "medium",
                dependents: [],
            });
            continue;
        }
        for (const verdict of verdicts) {
            const target: ReviewTarget = { kind: "workload", namespace: namespace.name, workload: verdict.workload.name };
            if (!verdict.absent) {
                kept.push({ target, verdict: "in use", reason: verdict.reason });
            } else if (verdicts.every((other) => other.absent)) {
                kept.push({ target, verdict: "not visible", reason: `${verdict.reason}, but namespace ${namespace.name} still holds ${inNamespace.length} workload(s) no declared workload selects (${inNamespace.slice(0, 3).map((workload) => workload.display).join(", ")}); removing every workload would delete the Namespace the stack manages` });
            } else {
                remove({ target, evidence: verdict.reason, confidence: verdict.confidence, dependents: [] });
            }
        }
        if (removed.has(targetKey(nsTarget))) continue;
        for (const override of namespace.overrides) {
            const target: ReviewTarget = { kind: "override", namespace: namespace.name, name: override.metadata.name };
            const selector = overrideSelector(override.apiVersion, override.spec);
            const selected = inNamespace.filter((workload) => matchesSelector(selector, override.apiVersion === "crd.projectcalico.org/v1" ? workload.calicoLabels : workload.labels));
            if (selected.length > 0) {
                kept.push({ target, verdict: "in use", reason: `selects ${describeWorkloads(selected)}` });
            } else {
                remove({ target, evidence: `its selector matches no pod and no pod template among the ${inNamespace.length} workload(s) of namespace ${namespace.name} in the dump`, confidence: "high", dependents: [] });
            }
        }
    }
    for (const [kind, entries] of [["infrastructure", intent.infrastructure], ["peer", intent.peers]] as const) {
        for (const entry of entries) {
            const target: ReviewTarget = { kind, name: entry.name };
            if (cluster.namespaces && !cluster.namespaces.has(entry.name)) {
                remove({ target, evidence: `namespace ${entry.name} is not in the cluster dump, which lists ${cluster.namespaces.size} namespace(s)`, confidence: "high", dependents: [] });
                continue;
            }
            const verdict = liveness(cluster.workloads.filter((workload) => workload.namespace === entry.name), entry.podLabels ?? {}, cluster);
            if (verdict.absent) remove({ target, evidence: verdict.reason, confidence: verdict.confidence, dependents: [] });
            else kept.push({ target, verdict: "in use", reason: verdict.reason });
        }
    }

    // Egress allowances, from the firewall logs.
    const placementOf = (holder: EgressHolder, kind: "fqdn" | "cidr", value: string) =>
        input.firewall.placements.find((placement) => placement.kind === kind && placement.value === value && sameHolder(placement.holder, holder));
    for (const { holder, egress } of egressHolders(intent, input.clusterFqdns)) {
        if (holderRemoved(holder, removed)) continue;
        for (const rule of egress.fqdns) {
            const target: ReviewTarget = { kind: "fqdn", holder, fqdn: rule.fqdn };
            const hits = ours.filter((row) => row.table === "AZFWApplicationRule" && row.action === "Allow" && row.fqdn !== undefined && fqdnMatches(rule.fqdn, row.fqdn));
            judgeAllowance(target, holder, placementOf(holder, "fqdn", rule.fqdn), hits, "AZFWApplicationRule", `requests for ${rule.fqdn}`);
        }
        for (const entry of egress.cidrs) {
            const target: ReviewTarget = { kind: "cidr", holder, cidr: entry.cidr };
            const placed = placementOf(holder, "cidr", entry.cidr);
            if (!placed) {
                kept.push({ target, verdict: "not visible", reason: "traffic to it does not pass the firewall (inside the VNet, pod or service range, or SCTP only): no firewall log can show it unused" });
                continue;
            }
            const block = parseIpv4Block(entry.cidr);
            const hits = ours.filter((row) => row.table === "AZFWNetworkRule" && row.action === "Allow" && row.destinationIp !== undefined && !row.destinationIp.includes(":") && containsAddress(block, ipv4ToNumber(row.destinationIp)));
            judgeAllowance(target, holder, placed, hits, "AZFWNetworkRule", `connections to ${entry.cidr}`);
        }
    }

    function judgeAllowance(target: ReviewTarget, holder: EgressHolder, placed: FirewallPlacement | undefined, hits: readonly FirewallLogRow[], table: FirewallLogTable, what: string): void {
        const span = spans.find((candidate) => candidate.table === table);
        if (hits.length > 0) {
            const count = hits.reduce((sum, row) => sum + row.hits, 0);
            const last = hits.map((row) => row.lastSeen).sort().pop()!;
            const ruleNames = [...new Set(hits.map((row) => row.rule ?? "(no rule)"))].sort();
            kept.push({ target, verdict: "in use", reason: `${count} ${what} allowed, the last ${day(last)}, under rule ${ruleNames.join(", ")}${placed && !ruleNames.includes(placed.rule) ? ` (the firewall names the first rule that matches and sees node addresses, so it cannot tell which workload asked)` : ""}` });
            return;
        }
        if (!span) {
            kept.push({ target, verdict: "not visible", reason: `no ${table} rows in the firewall logs of policy ${firewallPolicy}: export them with the quarterly review's query` });
            return;
        }
        if (span.days < minSpanDays) {
            kept.push({ target, verdict: "not visible", reason: `the ${table} logs cover ${spanText(span)}, shorter than the minimum of ${minSpanDays} days: too short to call anything unused` });
            return;
        }
        if (!placed) {
            kept.push({ target, verdict: "not visible", reason: "no firewall rule of this stack holds it" });
            return;
        }
        const collectionSeen = ours.some((row) => row.ruleCollectionGroup === placed.group && row.ruleCollection === placed.collection);
        if (!collectionSeen) {
            kept.push({ target, verdict: "not visible", reason: `no firewall logs for rule collection ${placed.group}/${placed.collection} in ${spanText(span)}: nothing in it was used, or the export left it out` });
            return;
        }
        const confidence: Confidence = holder.kind === "cluster" || span.days < QUARTER_DAYS ? "medium" : "high";
        const caveat = holder.kind === "cluster"
            ? "; cluster-wide allowances also serve the nodes (image pulls), which call them only when a node starts"
            : span.days < QUARTER_DAYS ? `; a span under ${QUARTER_DAYS} days can miss what runs once a quarter` : "";
        remove({ target, evidence: `no ${what} in ${spanText(span)} (its rule: ${placed.group}/${placed.collection}/${placed.rule}; that collection logged other requests)${caveat}`, confidence, dependents: [] });
    }

    // Flows: those naming a removed workload or namespace go with it; the rest are judged from flow logs, if any.
    const flowSpan = input.flows ? flowLogSpan(input.flows) : undefined;
    for (const flow of intent.flows) {
        const from = `${flow.from.namespace}/${flow.from.workload}`;
        const to = `${flow.to.namespace}/${flow.to.workload}`;
        if ([flow.from, flow.to].some((end) => removed.has(targetKey({ kind: "workload", namespace: end.namespace, workload: end.workload })) || removed.has(targetKey({ kind: "namespace", namespace: end.namespace })))) continue;
        const target: ReviewTarget = { kind: "flow", from, to };
        if (!input.flows) {
            kept.push({ target, verdict: "not visible", reason: "no flow logs (--flows): east-west traffic is not in the firewall logs or the dump" });
            continue;
        }
        const labelsOf = (end: { namespace: string; workload: string }) => intent.namespaces.find((namespace) => namespace.name === end.namespace)?.workloads.find((workload) => workload.name === end.workload)?.labels ?? {};
        const carries = (endpoint: FlowTrafficEndpoint, end: { namespace: string; workload: string }) =>
            endpoint.type === "WorkloadEndpoint" && endpoint.namespace === end.namespace && Object.entries(labelsOf(end)).every(([key, value]) => endpoint.labels[key] === value);
        const traffic = input.flows.allowed.filter((entry) => carries(entry.source, flow.from) && carries(entry.destination, flow.to)
            && (entry.destinationPort === undefined || flow.ports.some((port) => port.protocol === entry.protocol && port.port <= entry.destinationPort! && entry.destinationPort! <= (port.endPort ?? port.port))));
        if (traffic.length > 0) {
            const connections = traffic.reduce((sum, entry) => sum + entry.connections, 0);
            const last = traffic.map((entry) => entry.endTime ?? "").sort().pop();
            kept.push({ target, verdict: "in use", reason: `${connections} connection(s) allowed in the flow logs${last ? `, the last ${day(last)}` : ""}` });
        } else if (!flowSpan) {
            kept.push({ target, verdict: "not visible", reason: "the flow logs carry no times, so their span is unknown" });
        } else if (flowSpan.days < minSpanDays) {
            kept.push({ target, verdict: "not visible", reason: `the flow logs cover ${flowSpanText(flowSpan)}, shorter than the minimum of ${minSpanDays} days: too short to call anything unused` });
        } else {
            remove({
                target,
                evidence: `no allowed connection from ${from} to ${to} on ${flow.ports.map((port) => `${port.protocol} ${port.port}${port.endPort !== undefined ? `-${port.endPort}` : ""}`).join(", ")} in the flow logs, ${flowSpanText(flowSpan)}${flowSpan.days < QUARTER_DAYS ? `; a span under ${QUARTER_DAYS} days can miss what runs once a quarter` : ""}`,
                confidence: flowSpan.days < QUARTER_DAYS ? "medium" : "high",
                dependents: [],
            });
        }
    }
    const claimed = new Set<string>();
    const withDependents = [...removals]
        .sort((a, b) => compare(targetText(a.target), targetText(b.target)))
        .map((removal) => ({ ...removal, dependents: dependentsOf(removal.target, intent, removed, claimed) }));
    return {
        spans,
        ...(flowSpan ? { flowSpan } : {}),
        minSpanDays,
        firewallPolicy,
        otherPolicyRows: input.firewallRows.length - ours.length,
        removals: withDependents,
        kept: kept.sort((a, b) => compare(targetText(a.target), targetText(b.target))),
    };
}

/** Whether pods or pod templates in `workloads` carry `labels`, and how to say it. */
function liveness(workloads: readonly InventoryWorkload[], labels: Readonly<Record<string, string>>, cluster: ClusterInventory): { absent: boolean; reason: string; confidence: Confidence } {
    const matching = workloads.filter((workload) => Object.entries(labels).every(([key, value]) => workload.labels.get(key) === value));
    const running = matching.filter((workload) => workload.pods > 0);
    const selector = Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(",") || "(any)";
    if (running.length > 0) return { absent: false, reason: `${describeWorkloads(running)} run with labels ${selector}`, confidence: "high" };
    if (matching.length > 0) return { absent: false, reason: `no pod runs now, but ${describeWorkloads(matching)} can start some (scaled to zero, or between runs)`, confidence: "high" };
    return cluster.hasControllers
        ? { absent: true, reason: `no pod and no pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob) in the dump has labels ${selector}`, confidence: "high" }
        : { absent: true, reason: `no pod in the dump has labels ${selector}; the dump lists pods only, so a CronJob between runs would look the same (dump controllers too: kubectl get namespaces,pods,deployments,statefulsets,daemonsets,jobs,cronjobs -A -o json)`, confidence: "medium" };
}

function describeWorkloads(workloads: readonly InventoryWorkload[]): string {
    const shown = workloads.slice(0, 3).map((workload) => workload.pods > 0 ? `${workload.display} (${workload.pods} pod${workload.pods === 1 ? "" : "s"})` : workload.display);
    return `${shown.join(", ")}${workloads.length > 3 ? ` and ${workloads.length - 3} more` : ""}`;
}

/** The selector an override's pods are chosen by: Calico `spec.selector` (all() when absent), Kubernetes `spec.podSelector`. */
function overrideSelector(apiVersion: string, spec: Readonly<Record<string, unknown>>): Selector {
    if (apiVersion === "crd.projectcalico.org/v1") return parseSelector(typeof spec.selector === "string" ? spec.selector : "all()");
    return compileLabelSelector((spec.podSelector ?? {}) as LabelSelectorInput, undefined, ["spec", "podSelector"]);
}

/** Every egress allowlist with its holder: workloads, infrastructure namespaces, and the cluster-wide list. */
function egressHolders(intent: SegmentationIntent, clusterFqdns: readonly FqdnRule[]): Array<{ holder: EgressHolder; egress: Pick<EgressIntent, "fqdns" | "cidrs"> }> {
    return [
        ...intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => ({ holder: { kind: "workload" as const, namespace: namespace.name, workload: workload.name }, egress: workload.egress }))),
        ...intent.infrastructure.map((infra) => ({ holder: { kind: "infrastructure" as const, name: infra.name }, egress: infra.egress })),
        { holder: { kind: "cluster" as const }, egress: { fqdns: clusterFqdns, cidrs: [] } },
    ];
}

function sameHolder(a: EgressHolder, b: EgressHolder): boolean {
    if (a.kind === "workload" && b.kind === "workload") return a.namespace === b.namespace && a.workload === b.workload;
    if (a.kind === "infrastructure" && b.kind === "infrastructure") return a.name === b.name;
    return a.kind === "cluster" && b.kind === "cluster";
}

/** Azure Firewall target FQDNs: `*.example.com` matches any name below example.com, not example.com itself. */
export function fqdnMatches(pattern: string, fqdn: string): boolean {
    const name = fqdn.toLowerCase();
    return pattern.startsWith("*.") ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern;
}

function holderRemoved(holder: EgressHolder, removed: ReadonlySet<string>): boolean {
    if (holder.kind === "workload") return removed.has(targetKey({ kind: "workload", namespace: holder.namespace, workload: holder.workload })) || removed.has(targetKey({ kind: "namespace", namespace: holder.namespace }));
    if (holder.kind === "infrastructure") return removed.has(targetKey({ kind: "infrastructure", name: holder.name }));
    return false;
}

/**
 * Flows naming a removed workload or namespace, and ingressFrom entries naming a removed namespace, infrastructure
 * or peer; `claimed` keeps a flow between two removed entries under the first of them only.
 */
function dependentsOf(target: ReviewTarget, intent: SegmentationIntent, removed: ReadonlySet<string>, claimed: Set<string>): ReviewTarget[] {
    const dependents: ReviewTarget[] = [];
    const namespaceGone = target.kind === "namespace" ? target.namespace : target.kind === "infrastructure" || target.kind === "peer" ? target.name : undefined;
    const names = (end: { namespace: string; workload: string }) =>
        (target.kind === "workload" && end.namespace === target.namespace && end.workload === target.workload) || (target.kind === "namespace" && end.namespace === target.namespace);
    for (const flow of intent.flows) {
        if (!names(flow.from) && !names(flow.to)) continue;
        const flowTarget: ReviewTarget = { kind: "flow", from: `${flow.from.namespace}/${flow.from.workload}`, to: `${flow.to.namespace}/${flow.to.workload}` };
        if (claimed.has(targetKey(flowTarget))) continue;
        claimed.add(targetKey(flowTarget));
        dependents.push(flowTarget);
    }
    if (namespaceGone === undefined) return dependents;
    const naming = (entries: readonly ExternalIngress[]) => entries.some((entry) => entry.namespace === namespaceGone);
    const gone = (candidate: ReviewTarget) => removed.has(targetKey(candidate));
    for (const namespace of intent.namespaces) {
        if (namespace.name === namespaceGone || gone({ kind: "namespace", namespace: namespace.name })) continue;
        for (const workload of namespace.workloads) {
            if (gone({ kind: "workload", namespace: namespace.name, workload: workload.name }) || !naming(workload.ingressFrom)) continue;
            dependents.push({ kind: "ingressFrom", holder: { kind: "workload", namespace: namespace.name, workload: workload.name }, namespace: namespaceGone });
        }
    }
    for (const infra of intent.infrastructure) {
        if (infra.name !== namespaceGone && !gone({ kind: "infrastructure", name: infra.name }) && naming(infra.ingressFrom)) dependents.push({ kind: "ingressFrom", holder: { kind: "infrastructure", name: infra.name }, namespace: namespaceGone });
    }
    for (const peer of intent.peers) {
        if (peer.name !== namespaceGone && !gone({ kind: "peer", name: peer.name }) && naming(peer.ingressFrom)) dependents.push({ kind: "ingressFrom", holder: { kind: "peer", name: peer.name }, namespace: namespaceGone });
    }
    return dependents;
}

/** The span each table's rows cover. */
function logSpans(rows: readonly FirewallLogRow[]): LogSpan[] {
    const spans: LogSpan[] = [];
    for (const table of ["AZFWApplicationRule", "AZFWNetworkRule"] as const) {
        const ofTable = rows.filter((row) => row.table === table);
        if (ofTable.length === 0) continue;
        const from = ofTable.map((row) => row.firstSeen).sort()[0];
        const to = ofTable.map((row) => row.lastSeen).sort().pop()!;
        spans.push({ table, from, to, days: Math.floor(((Date.parse(to) - Date.parse(from)) / DAY_MS) * 10) / 10, rows: ofTable.length });
    }
    return spans;
}

function flowLogSpan(flows: FlowEvidence): FlowSpan | undefined {
    const starts = flows.windows.map((window) => window.startTime).filter((time): time is string => time !== undefined).sort();
    const ends = flows.windows.map((window) => window.endTime).filter((time): time is string => time !== undefined).sort();
    if (starts.length === 0 || ends.length === 0) return undefined;
    const from = starts[0]!;
    const to = ends[ends.length - 1]!;
    return { from, to, days: Math.floor(((Date.parse(to) - Date.parse(from)) / DAY_MS) * 10) / 10, flows: flows.windows.length };
}

function flowSpanText(span: FlowSpan): string {
    return `${span.days} days (${day(span.from)} to ${day(span.to)})`;
}

export function spanText(span: LogSpan): string {
    return `${span.days} days (${day(span.from)} to ${day(span.to)})`;
}

function day(time: string): string {
    return time.slice(0, 10);
}

/** How a target reads, e.g. `shop/backend egress.fqdns reports.example.com`. */
export function targetText(target: ReviewTarget): string {
    switch (target.kind) {
        case "fqdn":
            return `${holderText(target.holder)}egress.fqdns ${target.fqdn}`;
        case "cidr":
            return `${holderText(target.holder)}egress.cidrs ${target.cidr}`;
        case "workload":
            return `workload ${target.namespace}/${target.workload}`;
        case "namespace":
            return `namespace ${target.namespace}`;
        case "override":
            return `override ${target.namespace}/${target.name}`;
        case "infrastructure":
            return `infrastructure ${target.name}`;
        case "peer":
            return `peer ${target.name}`;
        case "flow":
            return `flow ${target.from} -> ${target.to}`;
        case "ingressFrom":
            return `${holderText(target.holder)}ingressFrom namespace ${target.namespace}`;
    }
}

function holderText(holder: EgressHolder | IngressHolder): string {
    switch (holder.kind) {
        case "workload":
            return `${holder.namespace}/${holder.workload} `;
        case "infrastructure":
            return `infrastructure ${holder.name} `;
        case "peer":
            return `peer ${holder.name} `;
        case "cluster":
            return "cluster-wide ";
    }
}

/** Stable identity of a target. */
export function targetKey(target: ReviewTarget): string {
    return JSON.stringify(target);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** The review as text: evidence, proposals with their evidence and confidence, then what is kept and why. */
export function reviewText(review: Review, header: readonly string[]): string {
    const lines = [...header];
    for (const span of review.spans) lines.push(`${span.table}: ${span.rows} row(s) of firewall policy ${review.firewallPolicy}, covering ${spanText(span)}`);
    if (review.spans.length === 0) lines.push(`No firewall log rows of firewall policy ${review.firewallPolicy}: no allowance can be called unused`);
    if (review.otherPolicyRows > 0) lines.push(`${review.otherPolicyRows} row(s) of other firewall policies ignored`);
    if (review.flowSpan) lines.push(`Flow logs: ${review.flowSpan.flows} flow(s), covering ${flowSpanText(review.flowSpan)}`);
    lines.push(`Minimum span to call an allowance unused: ${review.minSpanDays} days`, "");
    lines.push(`Proposed removals (${review.removals.length}):`);
    if (review.removals.length === 0) lines.push("  none");
    for (const removal of review.removals) {
        lines.push(`  remove ${targetText(removal.target)} [${removal.confidence}]`, `      ${removal.evidence}`);
        for (const dependent of removal.dependents) lines.push(`      with ${targetText(dependent)}`);
    }
    lines.push("", `Kept (${review.kept.length}):`);
    for (const entry of review.kept) lines.push(`  keep ${targetText(entry.target)}: ${entry.verdict}: ${entry.reason}`);
    return `${lines.join("\n")}\n`;
}
