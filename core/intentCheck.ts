import { Ipv4Block, parseIpv4Block } from "./cidr";
import type { KubeObject } from "./calicoApi";
import type { PortSpec, SegmentationIntent } from "./intent";
import { LOCAL_DNS_ADDRESSES, nonInternetRanges } from "./policies";
import { analyze, Connection, ConnectionSet, Entity, ManifestObject } from "../reach";

/** The outcome of checking the stack's policies against its declared intent. */
export interface IntentCheck {
    readonly passed: boolean;
    /** One sentence per violation, naming the flow. */
    readonly violations: readonly string[];
    /** Namespaces in audit mode: the check evaluates them as enforce would. */
    readonly auditNamespaces: readonly string[];
    /** Number of pairs and ranges the check compared. */
    readonly checkedPairs: number;
}

const DNS = ConnectionSet.ports("UDP", 53).union(ConnectionSet.ports("TCP", 53));
const API_SERVER = "default/kubernetes[APIServer]";
const COREDNS = "kube-system/coredns[Pod]";

/** Plain objects for the analyzer (built in code, so they carry no source location). */
export function asManifests(objects: readonly KubeObject[]): ManifestObject[] {
    return objects.map((object) => ({ object }));
}

/**
 * What enforcement would give: every denied-flow logger denies, as in enforce mode. Audit namespaces allow
 * everything while they soak, so the intent is checked against the policies they will enforce.
 */
export function asEnforced(objects: readonly KubeObject[]): KubeObject[] {
    return objects.map((object) => {
        if (!object.apiVersion.includes("projectcalico.org") || object.metadata.name !== "log-denied") return object;
        const spec = object.spec as { ingress?: Array<{ action: string }>; egress?: Array<{ action: string }> };
        const enforce = (rules?: Array<{ action: string }>) => rules?.map((rule) => (rule.action === "Allow" ? { ...rule, action: "Deny" } : rule));
        return { ...object, spec: { ...spec, ingress: enforce(spec.ingress), egress: enforce(spec.egress) } };
    });
}

/**
 * Checks that every declared flow is allowed and nothing else is: between declared workloads (every pair,
 * declared or not), from workloads to the internet and to address ranges, to DNS and the API server, and
 * from infrastructure namespaces into app namespaces.
 */
export function checkIntent(intent: SegmentationIntent, applied: readonly KubeObject[], workloads: readonly KubeObject[]): IntentCheck {
    const analysis = analyze(asManifests([...asEnforced(applied), ...workloads]));
    const expected = expectedConnections(intent);
    const appWorkloads = new Set(intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => podName(namespace.name, workload.name))));
    const infraAgents = new Set(intent.infrastructure.map((infra) => podName(infra.name, `${infra.name}-agent`)));
    const inScope = (connection: Connection) =>
        appWorkloads.has(connection.source.display) || appWorkloads.has(connection.destination.display)
        || (infraAgents.has(connection.source.display) && connection.destination.display === API_SERVER);

    const violations: string[] = [];
    const allowed = new Map<string, Connection>();
    for (const connection of analysis.connections) {
        allowed.set(pairKey(connection.source, connection.destination), connection);
        if (!inScope(connection)) continue;
        const want = expectedFor(connection.source, connection.destination, expected);
        const extra = connection.ports.subtract(want);
        if (!extra.isEmpty()) {
            violations.push(`unexpected: ${connection.source.display} => ${connection.destination.display} : ${extra.format()} is allowed but not declared`);
        }
    }
    for (const [key, want] of expected.pairs) {
        const [source, destination] = key.split(" => ");
        const have = allowed.get(key)?.ports ?? ConnectionSet.NONE;
        const missing = want.subtract(have);
        if (!missing.isEmpty()) {
            violations.push(`missing: ${source} => ${destination} : ${missing.format()} is declared but not allowed`);
        }
    }
    const publicRanges = analysis.externals.filter((range) => touchesInternet(range, expected.nonInternet));
    for (const [source, want] of expected.internet) {
        const blocked = publicRanges.filter((range) => !(allowed.get(`${source} => ${range.display}`)?.ports ?? ConnectionSet.NONE).covers(want));
        if (blocked.length > 0) {
            violations.push(`missing: ${source} => internet : ${want.format()} is declared (FQDN egress) but not allowed to ${blocked.length} public range(s), e.g. ${blocked[0].display}`);
        }
    }
    const auditNamespaces = intent.namespaces.filter((namespace) => namespace.mode === "audit").map((namespace) => namespace.name);
    return { passed: violations.length === 0, violations: violations.sort(), auditNamespaces, checkedPairs: allowed.size + expected.pairs.size };
}

interface ExpectedConnections {
    /** Workload pairs ("A => B") with exactly these ports. */
    readonly pairs: Map<string, ConnectionSet>;
    /** Internet ports per workload (public ranges only). */
    readonly internet: Map<string, ConnectionSet>;
    /** Ranges that are never the internet (private, link-local, cluster, ...). */
    readonly nonInternet: readonly Ipv4Block[];
    /** Declared CIDR egress per workload. */
    readonly cidrs: Map<string, Array<{ start: number; end: number; ports: ConnectionSet }>>;
}

function expectedConnections(intent: SegmentationIntent): ExpectedConnections {
    const pairs = new Map<string, ConnectionSet>();
    const internet = new Map<string, ConnectionSet>();
    const cidrs = new Map<string, Array<{ start: number; end: number; ports: ConnectionSet }>>();
    const add = (source: string, destination: string, ports: ConnectionSet) => {
        const key = `${source} => ${destination}`;
        pairs.set(key, (pairs.get(key) ?? ConnectionSet.NONE).union(ports));
    };
    for (const flow of intent.flows) {
        add(podName(flow.from.namespace, flow.from.workload), podName(flow.to.namespace, flow.to.workload), portSet(flow.ports));
    }
    const egressOf = (source: string, egress: SegmentationIntent["infrastructure"][number]["egress"]) => {
        add(source, COREDNS, DNS);
        if (egress.kubernetesApi) add(source, API_SERVER, ConnectionSet.ports("TCP", 443));
        const internetPorts = egress.fqdns.flatMap((entry) => entry.ports.map((port) => ({ protocol: "TCP" as const, port })));
        if (internetPorts.length > 0) internet.set(source, portSet(internetPorts));
        const ranges = egress.cidrs.map((entry) => ({ cidr: entry.cidr, ports: portSet(entry.ports) }));
        // With AKS LocalDNS, pods resolve through the node-local listeners: that is DNS too.
        if (intent.cluster.localDns) ranges.push(...LOCAL_DNS_ADDRESSES.map((cidr) => ({ cidr, ports: DNS })));
        cidrs.set(source, mergeAdjacent(ranges.map((entry) => {
            const block = parseIpv4Block(entry.cidr);
            return { start: block.first, end: block.last, ports: entry.ports };
        })));
    };
    for (const namespace of intent.namespaces) {
        for (const workload of namespace.workloads) {
            egressOf(podName(namespace.name, workload.name), workload.egress);
        }
    }
    for (const infra of intent.infrastructure) {
        const agent = podName(infra.name, `${infra.name}-agent`);
        egressOf(agent, infra.egress);
        for (const namespace of intent.namespaces) {
            for (const workload of namespace.workloads) {
                if (infra.podPorts.length > 0) add(agent, podName(namespace.name, workload.name), portSet(infra.podPorts));
            }
        }
    }
    return { pairs, internet, cidrs, nonInternet: nonInternetRanges(intent).map(parseIpv4Block) };
}

/** Joins touching or overlapping ranges that expect the same ports (the engine reports merged ranges). */
function mergeAdjacent(ranges: Array<{ start: number; end: number; ports: ConnectionSet }>): Array<{ start: number; end: number; ports: ConnectionSet }> {
    const merged: Array<{ start: number; end: number; ports: ConnectionSet }> = [];
    for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
        const last = merged.find((entry) => entry.ports.equals(range.ports) && range.start <= entry.end + 1 && entry.start <= range.end + 1);
        if (last) {
            last.start = Math.min(last.start, range.start);
            last.end = Math.max(last.end, range.end);
        } else {
            merged.push({ ...range });
        }
    }
    return merged;
}

function expectedFor(source: Entity, destination: Entity, expected: ExpectedConnections): ConnectionSet {
    if (destination.type === "workload") {
        return expected.pairs.get(pairKey(source, destination)) ?? ConnectionSet.NONE;
    }
    let ports = ConnectionSet.NONE;
    if (isPublic(destination, expected.nonInternet)) {
        ports = ports.union(expected.internet.get(source.display) ?? ConnectionSet.NONE);
    }
    for (const range of expected.cidrs.get(source.display) ?? []) {
        if (range.start <= destination.start && destination.end <= range.end) ports = ports.union(range.ports);
    }
    return ports;
}

/** Whether any address of the range is on the internet (not inside one of the non-internet ranges). */
function touchesInternet(range: { start: number; end: number }, nonInternet: readonly Ipv4Block[]): boolean {
    return !nonInternet.some((block) => block.first <= range.start && range.end <= block.last);
}

/** Whether every address of the range is on the internet. */
function isPublic(range: { start: number; end: number }, nonInternet: readonly Ipv4Block[]): boolean {
    return nonInternet.every((block) => range.end < block.first || block.last < range.start);
}

function portSet(ports: readonly PortSpec[]): ConnectionSet {
    return ports.reduce((set, port) => set.union(ConnectionSet.ports(port.protocol, port.port, port.endPort ?? port.port)), ConnectionSet.NONE);
}

function podName(namespace: string, name: string): string {
    return `${namespace}/${name}[Pod]`;
}

function pairKey(source: Entity, destination: Entity): string {
    return `${source.display} => ${destination.display}`;
}
