/**
 * From denied-flow records to proposed intent changes: records are mapped to workloads through a cluster dump,
 * deduplicated per (source, destination, protocol, destination port), and each key becomes a proposal (an
 * intent flow or an egress CIDR), "already declared", "unknown" (an address nothing in the dump owns) or
 * "review" (something the intent cannot take as is). Pure; the guardrail checks run elsewhere (offline/).
 */
import { containsAddress, ipv4ToNumber, parseIpv4Block } from "../common";
import type { ClusterAddresses, PodOwner } from "./clusterAddresses";
import type { DeniedFlowRecord } from "./deniedFlowLog";
import type { GoldmaneEndpoint, GoldmaneFlowRecord } from "./goldmaneFlowLog";
import { LogInputError } from "./logAnalyticsRows";
import { SYSTEM_NAMESPACES, type PortSpec, type SegmentationIntent, type WorkloadIntent } from "../intent";

/** One side of an observed flow, as far as the dump and the intent explain it. */
export type FlowEndpoint =
    /** A pod of a workload; `ref` (`namespace/workload`) when a declared intent workload selects it. */
    | { readonly kind: "workload"; readonly namespace: string; readonly display: string; readonly ref?: string }
    | { readonly kind: "node"; readonly name: string; readonly address: string }
    | { readonly kind: "external"; readonly address: string }
    /** A network Goldmane names without its address: `pub`, `pvt` or a network set (goldmaneFlowLog.ts). */
    | { readonly kind: "network"; readonly name: string }
    | { readonly kind: "unknown"; readonly address: string; readonly why: string };

/** A proposed edit of `aks-zero-trust:segmentation`. */
export type Proposal =
    | { readonly kind: "flow"; readonly from: string; readonly to: string; readonly port: PortSpec }
    | { readonly kind: "egressCidr"; readonly workload: string; readonly cidr: string; readonly port: PortSpec };

/** What a key amounts to before the guardrails. */
export type FlowOutcome =
    | { readonly kind: "proposal"; readonly proposal: Proposal }
    | { readonly kind: "declared" }
    | { readonly kind: "unknown"; readonly reason: string }
    | { readonly kind: "review"; readonly reason: string };

/** All records of one key. */
export interface ObservedFlow {
    readonly key: string;
    readonly source: FlowEndpoint;
    readonly destination: FlowEndpoint;
    readonly protocol: string;
    /** Destination port as policy sees it (after DNAT for a ClusterIP). */
    readonly port?: number;
    readonly count: number;
    readonly firstSeen?: string;
    readonly lastSeen?: string;
    /** Nodes that logged it (a flow between two nodes is logged by both: egress on one, ingress on the other). */
    readonly nodes: readonly string[];
    /** Where the first record is (`file:line`). */
    readonly firstAt: string;
    readonly notes: readonly string[];
    /** App namespaces (of the intent) the flow touches; empty when it touches none. */
    readonly namespaces: readonly string[];
    readonly outcome: FlowOutcome;
}

/** Keeps records logged at or after `since` (ISO 8601); a record without a date cannot be placed and is an error. */
export function recordsSince(records: readonly DeniedFlowRecord[], since: string | undefined): DeniedFlowRecord[] {
    if (since === undefined) return [...records];
    const threshold = new Date(since).getTime();
    return records.filter((record) => {
        if (record.time === undefined) {
            const at = record.at.lastIndexOf(":");
            throw new LogInputError("this line has no date, so --since cannot place it; collect with journalctl -o short-iso, or drop --since", record.at.slice(0, at), Number(record.at.slice(at + 1)));
        }
        return new Date(record.time).getTime() >= threshold;
    });
}

/** Protocols the intent can take a port for (the kernel logs no port for SCTP: `PROTO=132`). */
const INTENT_PROTOCOLS = new Set(["TCP", "UDP"]);

/** Groups records per key and decides what each key amounts to. */
export function observeFlows(records: readonly DeniedFlowRecord[], cluster: ClusterAddresses, intent: SegmentationIntent): ObservedFlow[] {
    const ranges = {
        pods: parseIpv4Block(intent.cluster.podCidr),
        services: parseIpv4Block(intent.cluster.serviceCidr),
    };
    const groups = new Map<string, { first: DeniedFlowRecord; source: FlowEndpoint; destination: FlowEndpoint; port?: number; notes: Set<string>; records: DeniedFlowRecord[] }>();
    for (const record of records) {
        const notes = new Set<string>();
        const source = endpointOf(record.source, cluster, intent, ranges);
        let destination = endpointOf(record.destination, cluster, intent, ranges);
        let port = record.destinationPort;
        const owner = cluster.ownerOf(record.destination);
        if (owner?.kind === "service") {
            // Calico evaluates policy after kube-proxy's DNAT, on the backend pod and its target port.
            const backends = port === undefined ? [] : cluster.backendsOf(owner, port, record.protocol);
            const workloads = new Map(backends.map((backend) => [workloadOf(backend.pod, intent).display, backend]));
            if (workloads.size === 1) {
                const [backend] = workloads.values();
                destination = workloadOf(backend.pod, intent);
                notes.add(`DST ${record.destination} is the ClusterIP of Service ${owner.namespace}/${owner.name}: the line was logged before DNAT; policy sees the backend ${destination.kind === "workload" ? destination.display : ""} on port ${backend.port}`);
                port = backend.port;
            } else {
                destination = { kind: "unknown", address: record.destination, why: `the ClusterIP of Service ${owner.namespace}/${owner.name}, logged before DNAT; ${workloads.size === 0 ? "no pod in the dump backs port " + (port ?? "-") : `it has backends in ${workloads.size} workloads, so the pod that policy saw is unknown`}` };
            }
        }
        const key = [endpointId(source), endpointId(destination), record.protocol, port ?? "-"].join(" ");
        const group = groups.get(key);
        if (group) {
            group.records.push(record);
            for (const note of notes) group.notes.add(note);
        } else {
            groups.set(key, { first: record, source, destination, port, notes, records: [record] });
        }
    }
    const flows: ObservedFlow[] = [];
    for (const [key, group] of groups) {
        const times = group.records.map((record) => record.time).filter((time): time is string => time !== undefined).sort();
        const namespaces = [group.source, group.destination]
            .filter((endpoint): endpoint is Extract<FlowEndpoint, { kind: "workload" }> => endpoint.kind === "workload")
            .map((endpoint) => endpoint.namespace)
            .filter((namespace) => intent.namespaces.some((declared) => declared.name === namespace));
        const outcome = outcomeOf(group.source, group.destination, group.first.protocol, group.port, intent);
        const notes = [...group.notes];
        if (outcome.kind === "proposal" && outcome.proposal.kind === "egressCidr") {
            notes.push("if this address is an internet service behind a host name, prefer egress.fqdns, decided from the firewall's AZFWApplicationRule log");
        }
        flows.push({
            key,
            source: group.source,
            destination: group.destination,
            protocol: group.first.protocol,
            ...(group.port !== undefined ? { port: group.port } : {}),
            count: group.records.length,
            ...(times.length > 0 ? { firstSeen: times[0], lastSeen: times[times.length - 1] } : {}),
            nodes: [...new Set(group.records.map((record) => record.node).filter((node): node is string => node !== undefined))].sort(),
            firstAt: group.first.at,
            notes,
            namespaces: [...new Set(namespaces)].sort(),
            outcome,
        });
    }
    return flows.sort((a, b) => compare(a.key, b.key));
}

/**
 * Goldmane flows (goldmaneFlowLog.ts) grouped per key like kernel log records. Goldmane names workloads by
 * namespace and labels rather than by address, so no cluster dump is needed; a flow reported by both ends (Src and
 * Dst) is one key. A staged-denied flow is allowed today and says which staged policy would deny it.
 */
export function observeGoldmaneFlows(records: readonly GoldmaneFlowRecord[], intent: SegmentationIntent): ObservedFlow[] {
    const groups = new Map<string, { first: GoldmaneFlowRecord; source: FlowEndpoint; destination: FlowEndpoint; notes: Set<string>; records: GoldmaneFlowRecord[] }>();
    for (const record of records) {
        const source = goldmaneEndpoint(record.source, intent);
        const destination = goldmaneEndpoint(record.destination, intent);
        const key = [endpointId(source), endpointId(destination), record.protocol, record.destinationPort ?? "-"].join(" ");
        const note = record.verdict === "staged-denied" ? `allowed today; would be denied by ${record.decidedBy} once enforced` : `denied by ${record.decidedBy}`;
        const group = groups.get(key) ?? { first: record, source, destination, notes: new Set<string>(), records: [] };
        group.records.push(record);
        group.notes.add(note);
        groups.set(key, group);
    }
    const flows: ObservedFlow[] = [];
    for (const [key, group] of groups) {
        const times = group.records.flatMap((record) => [record.startTime, record.endTime]).filter((time): time is string => time !== undefined).sort();
        const namespaces = [group.source, group.destination]
            .filter((endpoint): endpoint is Extract<FlowEndpoint, { kind: "workload" }> => endpoint.kind === "workload")
            .map((endpoint) => endpoint.namespace)
            .filter((namespace) => intent.namespaces.some((declared) => declared.name === namespace));
        flows.push({
            key,
            source: group.source,
            destination: group.destination,
            protocol: group.first.protocol,
            ...(group.first.destinationPort !== undefined ? { port: group.first.destinationPort } : {}),
            count: group.records.reduce((sum, record) => sum + record.connections, 0),
            ...(times.length > 0 ? { firstSeen: times[0], lastSeen: times[times.length - 1] } : {}),
            nodes: [],
            firstAt: group.first.at,
            notes: [...group.notes].sort(),
            namespaces: [...new Set(namespaces)].sort(),
            outcome: outcomeOf(group.source, group.destination, group.first.protocol, group.first.destinationPort, intent),
        });
    }
    return flows.sort((a, b) => compare(a.key, b.key));
}

/** A Goldmane endpoint as suggest sees it: a workload (matched to the intent by labels), a host, or a network. */
function goldmaneEndpoint(endpoint: GoldmaneEndpoint, intent: SegmentationIntent): FlowEndpoint {
    switch (endpoint.type) {
        case "WorkloadEndpoint":
            return workloadOf({ namespace: endpoint.namespace, labels: endpoint.labels, workload: `${endpoint.namespace}/${endpoint.name}` }, intent);
        case "HostEndpoint":
            return { kind: "node", name: endpoint.name, address: "no address in Goldmane" };
        default:
            return { kind: "network", name: endpoint.name };
    }
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function endpointId(endpoint: FlowEndpoint): string {
    switch (endpoint.kind) {
        case "workload":
            return endpoint.ref ?? endpoint.display;
        case "node":
            return `node/${endpoint.name}`;
        case "network":
            return `network/${endpoint.name}`;
        default:
            return endpoint.address;
    }
}

/** How an endpoint reads in the summary. */
export function endpointText(endpoint: FlowEndpoint): string {
    switch (endpoint.kind) {
        case "workload":
            return endpoint.ref ?? `${endpoint.display} (not in the intent)`;
        case "node":
            return `node ${endpoint.name} (${endpoint.address})`;
        case "external":
            return endpoint.address;
        case "network":
            return `${NETWORK_NAMES[endpoint.name] ?? `network set ${endpoint.name}`} (Goldmane gives no address)`;
        case "unknown":
            return `${endpoint.address} (unknown)`;
    }
}

function endpointOf(address: string, cluster: ClusterAddresses, intent: SegmentationIntent, ranges: { pods: ReturnType<typeof parseIpv4Block>; services: ReturnType<typeof parseIpv4Block> }): FlowEndpoint {
    const owner = cluster.ownerOf(address);
    if (owner?.kind === "pod") return workloadOf(owner, intent);
    if (owner?.kind === "node") return { kind: "node", name: owner.name, address };
    if (owner?.kind === "service") return { kind: "unknown", address, why: `the ClusterIP of Service ${owner.namespace}/${owner.name}` };
    const number = ipv4ToNumber(address);
    if (containsAddress(ranges.pods, number)) return { kind: "unknown", address, why: `in the pod CIDR ${ranges.pods.cidr}, but no pod in the dump has it (a pod since deleted, or a dump from another time)` };
    if (containsAddress(ranges.services, number)) return { kind: "unknown", address, why: `in the service CIDR ${ranges.services.cidr}, but no Service in the dump has it` };
    return { kind: "external", address };
}

/** Goldmane's names for networks it knows no endpoint of (api.proto FlowKey: "pub" public, "pvt" private). */
const NETWORK_NAMES: Readonly<Record<string, string>> = { pub: "a public network", pvt: "a private network" };

/** The pod's workload, with the declared intent workload whose labels select it (the selector the policies use). */
function workloadOf(pod: Pick<PodOwner, "namespace" | "labels" | "workload">, intent: SegmentationIntent): Extract<FlowEndpoint, { kind: "workload" }> {
    const namespace = intent.namespaces.find((candidate) => candidate.name === pod.namespace);
    const matches = (namespace?.workloads ?? []).filter((workload) => Object.entries(workload.labels).every(([key, value]) => pod.labels[key] === value));
    const ref = matches.length === 1 ? `${pod.namespace}/${matches[0].name}` : undefined;
    return { kind: "workload", namespace: pod.namespace, display: pod.workload, ...(ref ? { ref } : {}) };
}

function outcomeOf(source: FlowEndpoint, destination: FlowEndpoint, protocol: string, port: number | undefined, intent: SegmentationIntent): FlowOutcome {
    const unknown = [source, destination].filter((endpoint): endpoint is Extract<FlowEndpoint, { kind: "unknown" }> => endpoint.kind === "unknown");
    if (unknown.length > 0) return { kind: "unknown", reason: unknown.map((endpoint) => `${endpoint.address} is ${endpoint.why}`).join("; ") };
    if (!INTENT_PROTOCOLS.has(protocol) || port === undefined) {
        return { kind: "review", reason: `protocol ${protocol === "132" ? "SCTP (132)" : protocol} is logged without a destination port; declare it by hand if it is legitimate` };
    }
    const portSpec: PortSpec = { protocol: protocol as "TCP" | "UDP", port };
    if (source.kind === "node") return { kind: "review", reason: `from node ${source.name}: host-network pods, kubelet probes or NodePort traffic; if legitimate, add the node subnet to the destination's ingressFrom` };
    if (source.kind === "external") return { kind: "review", reason: `from ${source.address}, outside the cluster; if legitimate, add it to the destination's ingressFrom as a cidr` };
    if (source.kind === "network") return { kind: "review", reason: `from ${endpointText(source)}: find the client's range in the firewall or load balancer logs and add it to the destination's ingressFrom as a cidr` };
    if (source.kind !== "workload") return { kind: "review", reason: "source not understood" };
    if (!source.ref) return { kind: "review", reason: undeclaredReason(source, intent) };
    if (destination.kind === "workload") {
        if (!destination.ref) return { kind: "review", reason: undeclaredReason(destination, intent) };
        const [fromNamespace, fromWorkload] = source.ref.split("/");
        const [toNamespace, toWorkload] = destination.ref.split("/");
        const declared = intent.flows.find((flow) => flow.from.namespace === fromNamespace && flow.from.workload === fromWorkload && flow.to.namespace === toNamespace && flow.to.workload === toWorkload);
        if (declared && declared.ports.some((spec) => covers(spec, portSpec))) return { kind: "declared" };
        return { kind: "proposal", proposal: { kind: "flow", from: source.ref, to: destination.ref, port: portSpec } };
    }
    if (destination.kind === "node") return { kind: "review", reason: `to node ${destination.name}: host-network pods or the node itself; declare the node subnet in the source's egress.cidrs if legitimate` };
    if (destination.kind === "network") return { kind: "review", reason: `to ${endpointText(destination)}: decide the host name from the firewall's AZFWApplicationRule log and declare it in egress.fqdns (or the range in egress.cidrs)` };
    const workload = declaredWorkload(intent, source.ref);
    const cidr = `${destination.address}/32`;
    const number = ipv4ToNumber(destination.address);
    if (workload?.egress.cidrs.some((entry) => containsAddress(parseIpv4Block(entry.cidr), number) && entry.ports.some((spec) => covers(spec, portSpec)))) return { kind: "declared" };
    return { kind: "proposal", proposal: { kind: "egressCidr", workload: source.ref, cidr, port: portSpec } };
}

function undeclaredReason(endpoint: Extract<FlowEndpoint, { kind: "workload" }>, intent: SegmentationIntent): string {
    if ((SYSTEM_NAMESPACES as readonly string[]).includes(endpoint.namespace)) {
        return `${endpoint.display} is in the system namespace ${endpoint.namespace}; if legitimate, declare it as an ingressFrom {namespace, podLabels} on the app side`;
    }
    if (!intent.namespaces.some((namespace) => namespace.name === endpoint.namespace)) {
        return `${endpoint.display} is in namespace ${endpoint.namespace}, which the intent does not declare; declare it, or use ingressFrom {namespace, podLabels} on the app side`;
    }
    return `${endpoint.display} is not selected by exactly one declared workload of ${endpoint.namespace} (compare its pod labels with segmentation.namespaces[].workloads[].labels)`;
}

function declaredWorkload(intent: SegmentationIntent, ref: string): WorkloadIntent | undefined {
    const [namespace, name] = ref.split("/");
    return intent.namespaces.find((candidate) => candidate.name === namespace)?.workloads.find((workload) => workload.name === name);
}

function covers(spec: PortSpec, wanted: PortSpec): boolean {
    return spec.protocol === wanted.protocol && spec.port <= wanted.port && wanted.port <= (spec.endPort ?? spec.port);
}

/** Stable identity of a proposal, e.g. `flow shop/frontend -> shop/backend TCP/80`. */
export function proposalKey(proposal: Proposal): string {
    const port = `${proposal.port.protocol}/${proposal.port.port}`;
    return proposal.kind === "flow" ? `flow ${proposal.from} -> ${proposal.to} ${port}` : `egress ${proposal.workload} -> ${proposal.cidr} ${port}`;
}

/** How a proposal reads: the intent edit it makes. */
export function proposalText(proposal: Proposal): string {
    const port = `${proposal.port.protocol} ${proposal.port.port}`;
    return proposal.kind === "flow"
        ? `flows: ${proposal.from} -> ${proposal.to} ${port}`
        : `${proposal.workload} egress.cidrs: ${proposal.cidr} ${port}`;
}

/** Why a guardrail refused a proposal. */
export interface GuardrailViolation {
    /** The guardrail: "intent validation", "intent check" or a policy pack policy's name. */
    readonly guardrail: string;
    readonly message: string;
}

/** The guardrails' decision on one proposal, by proposalKey. */
export type GuardrailVerdicts = ReadonlyMap<string, readonly GuardrailViolation[]>;

/** What one namespace's window shows. */
export interface NamespaceSummary {
    readonly namespace: string;
    readonly mode: "audit" | "enforce" | "-";
    readonly flows: readonly ObservedFlow[];
    readonly proposals: number;
    readonly rejected: number;
    readonly unknown: number;
    readonly review: number;
    readonly declared: number;
    readonly verdict: string;
}

/** Flows per app namespace (a flow between two namespaces is listed under both), plus "(outside the intent)". */
export function summariseNamespaces(flows: readonly ObservedFlow[], intent: SegmentationIntent, verdicts: GuardrailVerdicts): NamespaceSummary[] {
    const byNamespace = new Map<string, ObservedFlow[]>();
    for (const flow of flows) {
        for (const namespace of flow.namespaces.length > 0 ? flow.namespaces : [OUTSIDE]) {
            byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), flow]);
        }
    }
    return [...byNamespace.keys()].sort((a, b) => (a === OUTSIDE ? 1 : b === OUTSIDE ? -1 : compare(a, b))).map((namespace) => {
        const list = byNamespace.get(namespace)!;
        const count = (predicate: (flow: ObservedFlow) => boolean) => list.filter(predicate).length;
        const isRejected = (flow: ObservedFlow) => flow.outcome.kind === "proposal" && (verdicts.get(proposalKey(flow.outcome.proposal))?.length ?? 0) > 0;
        const proposals = count((flow) => flow.outcome.kind === "proposal" && !isRejected(flow));
        const rejected = count(isRejected);
        const unknown = count((flow) => flow.outcome.kind === "unknown");
        const review = count((flow) => flow.outcome.kind === "review");
        const declared = count((flow) => flow.outcome.kind === "declared");
        const mode = intent.namespaces.find((candidate) => candidate.name === namespace)?.mode ?? "-";
        const unexplained = unknown + review + rejected;
        const verdict = namespace === OUTSIDE
            ? "not part of a declared namespace's policy set"
            : unexplained > 0
              ? `not ready to enforce: ${unexplained} unexplained flow${unexplained === 1 ? "" : "s"} (${[rejected > 0 ? `${rejected} the guardrails refuse: fix the client or treat as an incident` : "", unknown > 0 ? `${unknown} unknown` : "", review > 0 ? `${review} to review` : ""].filter(Boolean).join(", ")})`
              : proposals > 0
                ? `ready to enforce once the ${proposals} proposal${proposals === 1 ? " is" : "s are"} merged and deployed`
                : "ready to enforce: every flow in the window is declared";
        return { namespace, mode, flows: list, proposals, rejected, unknown, review, declared, verdict };
    });
}

const OUTSIDE = "(outside the intent)";

/** The readable report: per namespace, its flows and what became of them; then a summary. */
export function suggestionText(summaries: readonly NamespaceSummary[], verdicts: GuardrailVerdicts, header: readonly string[]): string {
    const lines = [...header];
    for (const summary of summaries) {
        lines.push("", `Namespace ${summary.namespace}${summary.mode !== "-" ? ` (${summary.mode})` : ""}: ${summary.flows.length} would-be-denied flow${summary.flows.length === 1 ? "" : "s"}`);
        for (const flow of summary.flows) {
            const seen = flow.firstSeen ? `, ${flow.firstSeen === flow.lastSeen ? flow.firstSeen : `${flow.firstSeen} .. ${flow.lastSeen}`}` : "";
            lines.push(`  ${endpointText(flow.source)} -> ${endpointText(flow.destination)} ${flow.protocol}${flow.port !== undefined ? ` ${flow.port}` : ""}  (${flow.count} record${flow.count === 1 ? "" : "s"}${seen}${flow.nodes.length > 0 ? `; ${flow.nodes.join(", ")}` : ""}; first at ${flow.firstAt})`);
            lines.push(`    ${outcomeLine(flow, verdicts)}`);
            for (const violation of flow.outcome.kind === "proposal" ? verdicts.get(proposalKey(flow.outcome.proposal)) ?? [] : []) {
                lines.push(`      ${violation.guardrail}: ${violation.message}`);
            }
            for (const note of flow.notes) lines.push(`    note: ${note}`);
        }
        lines.push(`  => ${summary.verdict}`);
    }
    const all = uniqueFlows(summaries);
    const total = (kind: string) => all.filter((flow) => flow.outcome.kind === kind).length;
    const rejected = all.filter((flow) => flow.outcome.kind === "proposal" && (verdicts.get(proposalKey(flow.outcome.proposal))?.length ?? 0) > 0).length;
    lines.push(
        "",
        `Summary: ${all.length} flow${all.length === 1 ? "" : "s"} from ${all.reduce((sum, flow) => sum + flow.count, 0)} records; ${total("proposal") - rejected} proposed, ${rejected} do not add, ${total("unknown")} unknown, ${total("review")} to review, ${total("declared")} already declared`,
    );
    const ready = summaries.filter((summary) => summary.mode !== "-" && summary.verdict.startsWith("ready to enforce:")).map((summary) => summary.namespace);
    if (ready.length > 0) lines.push(`Ready to enforce: ${ready.join(", ")}`);
    return `${lines.join("\n")}\n`;
}

function uniqueFlows(summaries: readonly NamespaceSummary[]): ObservedFlow[] {
    const byKey = new Map<string, ObservedFlow>();
    for (const summary of summaries) for (const flow of summary.flows) byKey.set(flow.key, flow);
    return [...byKey.values()];
}

function outcomeLine(flow: ObservedFlow, verdicts: GuardrailVerdicts): string {
    switch (flow.outcome.kind) {
        case "proposal": {
            const violations = verdicts.get(proposalKey(flow.outcome.proposal)) ?? [];
            return violations.length > 0
                ? `DO NOT ADD ${proposalText(flow.outcome.proposal)}: it breaks ${[...new Set(violations.map((violation) => violation.guardrail))].join(", ")}`
                : `propose ${proposalText(flow.outcome.proposal)}`;
        }
        case "declared":
            return "already declared (logged before the intent change was deployed?)";
        case "unknown":
            return `unknown: ${flow.outcome.reason}`;
        case "review":
            return `review: ${flow.outcome.reason}`;
    }
}

/** The distinct proposals of a set of flows, in key order. */
export function proposalsOf(flows: readonly ObservedFlow[]): Proposal[] {
    const byKey = new Map<string, Proposal>();
    for (const flow of flows) if (flow.outcome.kind === "proposal") byKey.set(proposalKey(flow.outcome.proposal), flow.outcome.proposal);
    return [...byKey.entries()].sort(([a], [b]) => compare(a, b)).map(([, proposal]) => proposal);
}
