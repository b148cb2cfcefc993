import { Ipv4Block, numberToIpv4, parseIpv4Block } from "../common";
import type { KubeObject } from "../calico";
import { INSTANCE_METADATA_ADDRESS, WIRESERVER_ADDRESS } from "../azure";
import { AZURE_PLATFORM_ADDRESS, ExternalIngress, NETWORK_POLICY_PATH, PortSpec, policyEnforcementProblem, PRIVATE_RANGES, SegmentationIntent, SHARED_ADDRESS_SPACE, UNDECLARED_NAMESPACE } from "../intent";
import { KONNECTIVITY_AGENT, LOCAL_DNS_ADDRESSES, MODE_DEPENDENT_POLICIES } from "../policies";
import { analyze, type Analysis, type Connection, ConnectionSet, enforceStagedPolicies, type Entity, explain, type ManifestObject } from "../../reach";

/** The outcome of checking the stack's policies against its declared intent. */
export interface IntentCheck {
    readonly passed: boolean;
    /** One sentence per violation, naming the flow. */
    readonly violations: readonly string[];
    /** Namespaces in audit mode: the check evaluates them as enforce would, and their every-mode invariants as deployed. */
    readonly auditNamespaces: readonly string[];
    /** Allowed connections (source, destination and their ports) the check compared with the intent. */
    readonly allowedChecked: number;
    /** Declared connections (flows, DNS, API server, ingress, internet egress) the check found allowed or missing. */
    readonly declaredChecked: number;
}

const DNS = ConnectionSet.ports("UDP", 53).union(ConnectionSet.ports("TCP", 53));
const API_SERVER = "default/kubernetes[APIServer]";
const COREDNS = "kube-system/coredns[Pod]";
const KONNECTIVITY = `${KONNECTIVITY_AGENT.namespace}/${KONNECTIVITY_AGENT.name}[Pod]`;

/** Addresses no pod outside the system namespaces may reach, in any mode (core/azure/platformAddresses.ts). */
const PLATFORM_ENDPOINTS = [
    { address: parseIpv4Block(INSTANCE_METADATA_ADDRESS), name: "the instance metadata service" },
    { address: parseIpv4Block(WIRESERVER_ADDRESS), name: "WireServer" },
];

/** Plain objects for the analyzer (built in code, so they carry no source location). */
export function asManifests(objects: readonly KubeObject[]): ManifestObject[] {
    return objects.map((object) => ({ object }));
}

/**
 * What enforcement would give. aks-managed: the mode-dependent policies (denied-flow logger, API-server deny,
 * cluster baseline) end with the mode's verdict, so a bare `Allow` after `Log` in audit becomes `Deny`, and a lone
 * `Log` rule (the API-server deny in audit) gets its `Deny` twin. self-managed: audit is Calico's staged policies,
 * applied here as their `stagedAction` says (reach's enforceStagedPolicies: Set replaces or adds the enforced twin).
 * Audit namespaces allow everything while they soak, so the intent is checked against the policies they will enforce.
 */
export function asEnforced(objects: readonly KubeObject[]): KubeObject[] {
    const modeDependent = new Set<string>(MODE_DEPENDENT_POLICIES);
    const v1 = objects.map((object) => {
        if (!object.apiVersion.startsWith("crd.projectcalico.org") || !modeDependent.has(object.metadata.name)) return object;
        const spec = object.spec as { ingress?: Array<Record<string, unknown>>; egress?: Array<Record<string, unknown>> };
        return { ...object, spec: { ...spec, ingress: enforceVerdict(spec.ingress), egress: enforceVerdict(spec.egress) } };
    });
    return enforceStagedPolicies(asManifests(v1)).map((entry) => entry.object as KubeObject);
}

function enforceVerdict(rules: Array<Record<string, unknown>> | undefined): Array<Record<string, unknown>> | undefined {
    if (!rules || rules.length === 0) return rules;
    const last = rules[rules.length - 1]!;
    if (last.action === "Log") return [...rules, { ...last, action: "Deny" }];
    if (last.action === "Allow" && Object.keys(last).length === 1) return [...rules.slice(0, -1), { action: "Deny" }];
    return rules;
}

/** A representative pod the check knows from the intent alone: its display name and labels. */
interface DeclaredPod {
    readonly display: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
}

/**
 * Checks that every declared flow is allowed and nothing else is, for every representative pod: declared
 * workloads (every pair, declared or not), infrastructure and peer pods, and a pod in an undeclared namespace
 * (which may reach DNS and nothing else, and be reached by nothing). Destinations include the internet, address
 * ranges, DNS and the API server. What counts as "internet" is derived here from the intent's network facts,
 * not taken from the renderer, so that a renderer bug shows.
 */
export function checkIntent(intent: SegmentationIntent, applied: readonly KubeObject[], workloads: readonly KubeObject[]): IntentCheck {
    const enforced = asEnforced(applied);
    const analysis = analyze(asManifests([...enforced, ...workloads]));
    const expected = expectedConnections(intent);
    // Audit lets undeclared traffic through; what must hold in every mode is checked on the policies as deployed.
    const deployed = enforced.every((object, index) => object === applied[index]) ? analysis : analyze(asManifests([...applied, ...workloads]));
    const inScope = (connection: Connection) => expected.subjects.has(connection.source.display) || expected.subjects.has(connection.destination.display);
    let allowedChecked = 0;

    const violations: string[] = [];
    const allowed = new Map<string, Connection>();
    for (const connection of analysis.connections) {
        allowed.set(pairKey(connection.source, connection.destination), connection);
        if (!inScope(connection)) continue;
        allowedChecked++;
        const want = expectedFor(connection.source, connection.destination, expected);
        const extra = connection.ports.subtract(want);
        if (!extra.isEmpty()) {
            const path = connection.destination.display === API_SERVER ? apiServerPath(analysis, connection) : "";
            violations.push(`unexpected: ${connection.source.display} => ${connection.destination.display} : ${extra.format()} is allowed but not declared${path}`);
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
    // Declared address ranges, both ways: every piece of the range must get the declared ports.
    const rangeMissing = (pod: string, ranges: readonly AddressExpectation[] | undefined, direction: "from" | "to") => {
        for (const range of ranges ?? []) {
            const pieces = analysis.externals.filter((piece) => range.start <= piece.start && piece.end <= range.end);
            const key = (piece: Entity) => (direction === "from" ? `${piece.display} => ${pod}` : `${pod} => ${piece.display}`);
            const blocked = pieces.filter((piece) => !(allowed.get(key(piece))?.ports ?? ConnectionSet.NONE).covers(range.ports));
            if (blocked.length === 0) continue;
            const text = `${numberToIpv4(range.start)}-${numberToIpv4(range.end)}`;
            violations.push(direction === "from" ? `missing: ${text} => ${pod} : ${range.ports.format()} is declared but not allowed` : `missing: ${pod} => ${text} : ${range.ports.format()} is declared but not allowed`);
        }
    };
    for (const [pod, ranges] of expected.ingressCidrs) rangeMissing(pod, ranges, "from");
    for (const [pod, ranges] of expected.cidrs) rangeMissing(pod, ranges, "to");
    violations.push(...invariantViolations(deployed, expected));
    const unenforced = policyEnforcementProblem(intent.cluster);
    if (unenforced) violations.push(`unenforced: ${NETWORK_POLICY_PATH} ${unenforced}`);
    const auditNamespaces = intent.namespaces.filter((namespace) => namespace.mode === "audit").map((namespace) => namespace.name);
    return { passed: violations.length === 0, violations: violations.sort(), auditNamespaces, allowedChecked, declaredChecked: expected.pairs.size + expected.internet.size };
}

/**
 * What holds in every mode, on the policies as deployed (audit's `Allow` verdicts included): no representative pod
 * outside the system namespaces reaches the instance metadata service or WireServer on any port, and no peer,
 * infrastructure or undeclared pod reaches the API server unless its intent says `kubernetesApi`.
 */
function invariantViolations(deployed: Analysis, expected: ExpectedConnections): string[] {
    const violations: string[] = [];
    for (const connection of deployed.connections) {
        const source = connection.source.display;
        if (connection.source.type !== "workload" || !expected.subjects.has(source)) continue;
        const destination = connection.destination;
        if (destination.type === "external") {
            for (const endpoint of PLATFORM_ENDPOINTS) {
                if (destination.start <= endpoint.address.first && endpoint.address.last <= destination.end) {
                    violations.push(`in every mode: ${source} => ${endpoint.address.cidr.replace("/32", "")} (${endpoint.name}) : ${connection.ports.format()} is allowed by the policies as deployed`);
                }
            }
        } else if (destination.display === API_SERVER && expected.apiServerForbidden.has(source)) {
            violations.push(`in every mode: ${source} => ${API_SERVER} : ${connection.ports.format()} is allowed by the policies as deployed, but its intent has no kubernetesApi${apiServerPath(deployed, connection)}`);
        }
    }
    return violations;
}

/** The policies that let a workload reach the API server, so the violation names the path. */
function apiServerPath(analysis: Analysis, connection: Connection): string {
    const explanation = explain(analysis, connection.source.display, connection.destination.display);
    // Only the steps that allowed the reported ports: a later Allow of other ports (audit's baseline) is not the path.
    const allowing = explanation.egress.tiers.flatMap((tier) => tier.steps.filter((step) => step.effect === "allowed" && !step.traffic.intersect(connection.ports).isEmpty()).map((step) => `${step.policy.display}${step.rule ? ` rule ${step.rule.text}` : ""}`));
    const via = allowing.length > 0 ? allowing.join("; ") : explanation.egress.tiers.length === 0 ? "no egress policy selects it" : "traffic no policy decided";
    // A rule holding only part of public IPv4 may or may not hold the API server: the engine counts it, and says so.
    const uncertain = explanation.notes.some((note) => note.startsWith("uncertain:"));
    return ` (via ${via}; ${uncertain ? "uncertain: the rule holds part of public IPv4, where a public API server may be" : "a public API server is an address in public IPv4"})`;
}

interface AddressExpectation {
    readonly start: number;
    readonly end: number;
    readonly ports: ConnectionSet;
}

interface ExpectedConnections {
    /** Representative pods the check speaks for: every connection touching one is checked. */
    readonly subjects: ReadonlySet<string>;
    /** Peer, infrastructure and undeclared pods without `kubernetesApi`: the API server is closed to them in every mode. */
    readonly apiServerForbidden: ReadonlySet<string>;
    /** Pod pairs ("A => B") with exactly these ports. */
    readonly pairs: Map<string, ConnectionSet>;
    /** Internet ports per pod (public ranges only). */
    readonly internet: Map<string, ConnectionSet>;
    /** Ranges that are never the internet (private, link-local, shared, Azure platform, cluster). */
    readonly nonInternet: readonly Ipv4Block[];
    /** Declared range egress per pod. */
    readonly cidrs: Map<string, AddressExpectation[]>;
    /** Declared range ingress per pod. */
    readonly ingressCidrs: Map<string, AddressExpectation[]>;
}

/** "Never the internet", derived from the intent's network facts alone (not from the renderer's except list). */
function nonInternetBlocks(intent: SegmentationIntent): Ipv4Block[] {
    const { podCidr, serviceCidr, vnetCidr } = intent.cluster;
    return [...PRIVATE_RANGES, SHARED_ADDRESS_SPACE, AZURE_PLATFORM_ADDRESS, podCidr, serviceCidr, vnetCidr].map(parseIpv4Block);
}

function expectedConnections(intent: SegmentationIntent): ExpectedConnections {
    const pairs = new Map<string, ConnectionSet>();
    const internet = new Map<string, ConnectionSet>();
    const cidrs = new Map<string, AddressExpectation[]>();
    const ingressCidrs = new Map<string, AddressExpectation[]>();
    const add = (source: string, destination: string, ports: ConnectionSet) => {
        const key = `${source} => ${destination}`;
        pairs.set(key, (pairs.get(key) ?? ConnectionSet.NONE).union(ports));
    };
    const addRange = (map: Map<string, AddressExpectation[]>, pod: string, cidr: string, ports: ConnectionSet) => {
        const block = parseIpv4Block(cidr);
        map.set(pod, mergeAdjacent([...(map.get(pod) ?? []), { start: block.first, end: block.last, ports }]));
    };

    const appPods: DeclaredPod[] = intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => ({ display: podName(namespace.name, workload.name), namespace: namespace.name, labels: workload.labels })));
    const infraPods: DeclaredPod[] = intent.infrastructure.map((infra) => ({ display: podName(infra.name, `${infra.name}-agent`), namespace: infra.name, labels: infra.podLabels ?? { "app.kubernetes.io/name": `${infra.name}-agent` } }));
    const peerPods: DeclaredPod[] = intent.peers.map((peer) => ({ display: podName(peer.name, `${peer.name}-peer`), namespace: peer.name, labels: peer.podLabels ?? { "app.kubernetes.io/name": `${peer.name}-peer` } }));
    const coredns: DeclaredPod = { display: COREDNS, namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
    const undeclared = podName(UNDECLARED_NAMESPACE, "probe");
    const konnectivity: DeclaredPod = { display: KONNECTIVITY, namespace: KONNECTIVITY_AGENT.namespace, labels: KONNECTIVITY_AGENT.labels };
    const everyPod = [...appPods, ...infraPods, ...peerPods, coredns, konnectivity];
    /** Pods an ingress entry names: a namespace (and labels) or a range. */
    const accept = (destination: string, entries: readonly ExternalIngress[]) => {
        for (const entry of entries) {
            if (entry.cidr !== undefined) {
                addRange(ingressCidrs, destination, entry.cidr, portSet(entry.ports));
                continue;
            }
            for (const pod of everyPod) {
                if (pod.namespace === entry.namespace && Object.entries(entry.podLabels ?? {}).every(([key, value]) => pod.labels[key] === value)) {
                    add(pod.display, destination, portSet(entry.ports));
                }
            }
        }
    };
    const egressOf = (source: string, egress: SegmentationIntent["infrastructure"][number]["egress"] | undefined) => {
        add(source, COREDNS, DNS);
        // With AKS LocalDNS, pods resolve through the node-local listeners: that is DNS too.
        if (intent.cluster.localDns) LOCAL_DNS_ADDRESSES.forEach((cidr) => addRange(cidrs, source, cidr, DNS));
        if (!egress) return;
        if (egress.kubernetesApi) add(source, API_SERVER, ConnectionSet.ports("TCP", 443));
        const internetPorts = egress.fqdns.flatMap((entry) => entry.ports.map((port) => ({ protocol: "TCP" as const, port })));
        if (internetPorts.length > 0) internet.set(source, portSet(internetPorts));
        egress.cidrs.forEach((entry) => addRange(cidrs, source, entry.cidr, portSet(entry.ports)));
    };

    for (const flow of intent.flows) {
        add(podName(flow.from.namespace, flow.from.workload), podName(flow.to.namespace, flow.to.workload), portSet(flow.ports));
    }
    for (const namespace of intent.namespaces) {
        for (const workload of namespace.workloads) {
            const pod = podName(namespace.name, workload.name);
            egressOf(pod, workload.egress);
            accept(pod, workload.ingressFrom);
        }
    }
    intent.infrastructure.forEach((infra, index) => {
        const agent = infraPods[index]!.display;
        egressOf(agent, infra.egress);
        accept(agent, infra.ingressFrom);
        if (infra.podPorts.length > 0) appPods.forEach((pod) => add(agent, pod.display, portSet(infra.podPorts)));
    });
    intent.peers.forEach((peer, index) => {
        egressOf(peerPods[index]!.display, peer.egress);
        accept(peerPods[index]!.display, peer.ingressFrom);
        // A peer that takes traffic from address ranges sits behind an Azure load balancer, whose health probes come
        // from WireServer's address to the ports those clients use (core/azure/platformAddresses.ts).
        for (const entry of peer.ingressFrom) {
            if (entry.cidr !== undefined) addRange(ingressCidrs, peerPods[index]!.display, WIRESERVER_ADDRESS, portSet(entry.ports));
        }
    });
    // Zero trust for namespaces nobody declared: DNS out, nothing else either way.
    egressOf(undeclared, undefined);

    const subjects = new Set([...appPods, ...infraPods, ...peerPods].map((pod) => pod.display).concat(undeclared));
    const apiServerForbidden = new Set([
        ...infraPods.filter((_, index) => !intent.infrastructure[index]!.egress.kubernetesApi).map((pod) => pod.display),
        ...peerPods.filter((_, index) => !intent.peers[index]!.egress.kubernetesApi).map((pod) => pod.display),
        undeclared,
    ]);
    return { subjects, apiServerForbidden, pairs, internet, cidrs, ingressCidrs, nonInternet: nonInternetBlocks(intent) };
}

/** Joins touching or overlapping ranges that expect the same ports (the engine reports merged ranges). */
function mergeAdjacent(ranges: readonly AddressExpectation[]): AddressExpectation[] {
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
    if (source.type !== "workload") {
        return portsWithin(destination.display, source, expected.ingressCidrs);
    }
    if (destination.type === "workload") {
        return expected.pairs.get(pairKey(source, destination)) ?? ConnectionSet.NONE;
    }
    let ports = portsWithin(source.display, destination, expected.cidrs);
    if (isPublic(destination, expected.nonInternet)) {
        ports = ports.union(expected.internet.get(source.display) ?? ConnectionSet.NONE);
    }
    return ports;
}

/** Ports the pod expects with an external range: those of every declared range that holds it. */
function portsWithin(pod: string, range: { start: number; end: number }, ranges: Map<string, AddressExpectation[]>): ConnectionSet {
    let ports = ConnectionSet.NONE;
    for (const entry of ranges.get(pod) ?? []) {
        if (entry.start <= range.start && range.end <= entry.end) ports = ports.union(entry.ports);
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
