/**
 * Tier invariants of ADR 008, computed with the reachability engine (reach/) over the stack's own
 * Kubernetes objects, evaluated as enforcement would (audit namespaces' denied-flow loggers deny).
 *
 * A stack holds policies, not pods, so the analysis adds representative pods built from the objects' own
 * information (never applied):
 *  - tier pods: one Pod per distinct `matchLabels` of a NetworkPolicy podSelector that carries a `tier`
 *    label, in the policy's namespace (shop/frontend for {app: frontend, tier: web});
 *  - peer pods: one Pod per rule peer that names its namespace and pod labels exactly, in Kubernetes
 *    NetworkPolicies (kubernetes.io/metadata.name + podSelector matchLabels) and Calico policies
 *    (projectcalico.org/name == '...' and == terms): kube-system/kube-dns, monitoring/prometheus, ...;
 *    a GlobalNetworkPolicy pinned to a namespace by name gives a Pod for its own selector the same way;
 *  - probe pods: an unlabelled `any-pod` in every namespace the objects name, and in `any-other-namespace`
 *    that no object names; they stand for "any other pod", so a rule that admits every pod or namespace shows.
 * A pod is named after its app, app.kubernetes.io/name or k8s-app label, else after its label values.
 * Named ports in rules do not resolve (representative pods declare no container ports).
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { KubeObject } from "../core/calico";
import { parseIpv4Block } from "../core/common";
import { LOCAL_DNS_ADDRESSES } from "../core/policies";
import { asEnforced, asManifests } from "../core/proof";
import { Analysis, Connection, ConnectionSet, Entity, InputError, Selector, SelectorSyntaxError, analyze, parseSelector, presentConnections } from "../reach";
import { NAMESPACE_TYPE, NETWORK_POLICY_TYPE, StackKubernetesObject, isCalicoApiVersion, isCalicoPolicyType, matchLabelsOf, stackKubernetesObjects } from "./kubernetesObjects";
import { TIER_LABEL } from "./kubernetesPolicies";
import { UNKNOWN, asList, at, containsUnknown } from "./values";

export const WEB_TIER_NEVER_REACHES_DATA_TIER = "web-tier-never-reaches-data-tier";
export const DATA_TIER_EGRESS_DNS_ONLY = "data-tier-egress-dns-only";
export const DATA_TIER_INGRESS_ALLOWLIST = "data-tier-ingress-allowlist";

/** The namespace of the probe pod that stands for namespaces no object names. */
export const UNLISTED_NAMESPACE = "any-other-namespace";
/** The name of the unlabelled probe pod in every namespace. */
export const PROBE_POD = "any-pod";

const DNS = ConnectionSet.ports("UDP", 53).union(ConnectionSet.ports("TCP", 53));
/** With AKS LocalDNS, pods resolve through node-local listeners instead of kube-dns. */
const LOCAL_DNS_BLOCKS = LOCAL_DNS_ADDRESSES.map(parseIpv4Block).sort((a, b) => a.first - b.first);

/** The analysis of a stack, with the labels of the representative pods. */
export interface StackReachability {
    readonly analysis: Analysis;
    /** Pod labels by entity display ("shop/frontend[Pod]"). */
    readonly labels: ReadonlyMap<string, Readonly<Record<string, string>>>;
    /** Namespaces a Calico GlobalNetworkPolicy applies to by name (infrastructure namespaces). */
    readonly infrastructureNamespaces: ReadonlySet<string>;
    /** The representative pods, for printing. */
    readonly pods: readonly KubeObject[];
}

/** What analysing a stack gave: the reachability, or why there is none. */
export type StackAnalysis =
    | { readonly kind: "analysed"; readonly reachability: StackReachability }
    | { readonly kind: "unknown"; readonly reason: string }
    | { readonly kind: "invalid"; readonly message: string };

/**
 * The three tier policies validate the same objects one after the other (CrossGuard builds fresh args for
 * each policy), so the last analysis is kept, keyed by the objects' content.
 */
let lastAnalysis: { readonly key: string; readonly analysis: StackAnalysis } | undefined;

/** Policy objects the analysis reads: Namespaces, Kubernetes NetworkPolicies and Calico policies, tiers and network sets. */
function isAnalysedType(type: string): boolean {
    if (type === NAMESPACE_TYPE || type === NETWORK_POLICY_TYPE) return true;
    const kind = type.split(":")[2];
    // Staged policies too: the tier policies judge the stack as enforced (self-managed audit mode stages its policies).
    return isCalicoApiVersion(type.split(":")[1] ?? "") && ["NetworkPolicy", "GlobalNetworkPolicy", "Tier", "NetworkSet", "GlobalNetworkSet", "StagedNetworkPolicy", "StagedGlobalNetworkPolicy", "StagedKubernetesNetworkPolicy"].includes(kind ?? "");
}

/** Analyses a stack's Kubernetes objects (what the tier policies judge). */
export function analyseStack(resources: readonly PolicyResource[]): StackAnalysis {
    const stackObjects = stackKubernetesObjects(resources, isAnalysedType);
    const unknown = stackObjects.filter((object) => containsUnknown(object.metadata) || containsUnknown(object.spec));
    if (unknown.length > 0) {
        return { kind: "unknown", reason: `skipped during preview: ${unknown.map((object) => object.resource.name).join(", ")} hold values known only after apply` };
    }
    const objects = stackObjects.map(asKubeObject);
    const key = JSON.stringify(objects);
    if (lastAnalysis?.key !== key) {
        lastAnalysis = { key, analysis: analyseObjects(stackObjects, objects) };
    }
    return lastAnalysis.analysis;
}

function analyseObjects(stackObjects: readonly StackKubernetesObject[], objects: readonly KubeObject[]): StackAnalysis {
    const { pods, labels } = representativePods(stackObjects);
    try {
        const analysis = analyze(asManifests([...asEnforced(objects), ...pods]));
        return { kind: "analysed", reachability: { analysis, labels, infrastructureNamespaces: infrastructureNamespaces(stackObjects), pods } };
    } catch (error) {
        if (error instanceof InputError || error instanceof SelectorSyntaxError) {
            return { kind: "invalid", message: error.message.replace(/\.$/, "") };
        }
        throw error;
    }
}

function asKubeObject(object: StackKubernetesObject): KubeObject {
    const metadata = object.metadata as Record<string, unknown> | undefined;
    const plainMetadata = {
        name: String(metadata?.name ?? object.resource.name),
        ...(typeof metadata?.namespace === "string" ? { namespace: metadata.namespace } : {}),
        ...(metadata?.labels ? { labels: metadata.labels as Record<string, string> } : {}),
    };
    const spec = object.spec as Record<string, unknown> | undefined;
    return spec === undefined ? { apiVersion: object.apiVersion, kind: object.kind, metadata: plainMetadata } : { apiVersion: object.apiVersion, kind: object.kind, metadata: plainMetadata, spec };
}

/** A namespace and pod labels some object names exactly. */
interface PodSketch {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
}

function representativePods(objects: readonly StackKubernetesObject[]): { pods: KubeObject[]; labels: Map<string, Record<string, string>> } {
    const sketches: PodSketch[] = [];
    const namespaces = new Set<string>();
    for (const object of objects) {
        const namespace = typeof at(object.metadata, "namespace") === "string" ? (at(object.metadata, "namespace") as string) : undefined;
        if (namespace) namespaces.add(namespace);
        if (object.kind === "Namespace" && typeof at(object.metadata, "name") === "string") namespaces.add(at(object.metadata, "name") as string);
        // A staged Kubernetes policy has a Kubernetes NetworkPolicy's spec (self-managed Calico's audit mode).
        if ((object.apiVersion === "networking.k8s.io/v1" && object.kind === "NetworkPolicy") || object.kind === "StagedKubernetesNetworkPolicy") {
            sketches.push(...kubernetesPolicySketches(object, namespace ?? "default"));
        } else if (isCalicoApiVersion(object.apiVersion)) {
            sketches.push(...calicoPolicySketches(object, namespace));
        }
    }
    for (const sketch of sketches) namespaces.add(sketch.namespace);
    const probes: PodSketch[] = [...namespaces, UNLISTED_NAMESPACE].map((namespace) => ({ namespace, labels: {} }));

    const unique = new Map<string, PodSketch>();
    for (const sketch of [...sketches, ...probes]) {
        const sorted = Object.fromEntries(Object.entries(sketch.labels).sort(([a], [b]) => a.localeCompare(b)));
        unique.set(`${sketch.namespace} ${JSON.stringify(sorted)}`, { namespace: sketch.namespace, labels: sorted });
    }
    const ordered = [...unique.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, sketch]) => sketch);
    const pods: KubeObject[] = [];
    const labels = new Map<string, Record<string, string>>();
    const taken = new Set<string>();
    for (const sketch of ordered) {
        const base = podName(sketch.labels);
        let name = base;
        for (let suffix = 2; taken.has(`${sketch.namespace}/${name}`); suffix++) name = `${base}-${suffix}`;
        taken.add(`${sketch.namespace}/${name}`);
        pods.push({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: sketch.namespace, labels: { ...sketch.labels } }, spec: { containers: [{ name: "app", image: "representative.invalid/policy-pack:analysis-only" }] } });
        labels.set(`${sketch.namespace}/${name}[Pod]`, { ...sketch.labels });
    }
    return { pods, labels };
}

function podName(labels: Readonly<Record<string, string>>): string {
    const named = labels.app ?? labels["app.kubernetes.io/name"] ?? labels["k8s-app"];
    if (named) return named;
    const values = Object.values(labels);
    return values.length === 0 ? PROBE_POD : values.join("-").toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** Tier pods (podSelector with a tier label) and exactly named peers of a Kubernetes NetworkPolicy. */
function kubernetesPolicySketches(object: StackKubernetesObject, namespace: string): PodSketch[] {
    const sketches: PodSketch[] = [];
    const selected = matchLabelsOf(at(object.spec, "podSelector"));
    if (selected !== UNKNOWN && selected[TIER_LABEL] !== undefined) sketches.push({ namespace, labels: selected });
    for (const [direction, peersKey] of [["ingress", "from"], ["egress", "to"]] as const) {
        const rules = asList(at(object.spec, direction));
        if (rules === UNKNOWN) continue;
        for (const rule of rules) {
            const peers = asList(at(rule, peersKey));
            if (peers === UNKNOWN) continue;
            for (const peer of peers) {
                const podLabels = matchLabelsOf(at(peer, "podSelector"));
                if (podLabels === UNKNOWN) continue;
                const namespaceSelector = at(peer, "namespaceSelector");
                const namespaceLabels = matchLabelsOf(namespaceSelector);
                const peerNamespace = namespaceSelector === undefined ? namespace : namespaceLabels === UNKNOWN ? undefined : namespaceLabels["kubernetes.io/metadata.name"];
                if (peerNamespace) sketches.push({ namespace: peerNamespace, labels: podLabels });
            }
        }
    }
    return sketches;
}

/** Pods a Calico policy names exactly: the policy's own pods (global policies pinned to a namespace) and rule peers. */
function calicoPolicySketches(object: StackKubernetesObject, namespace: string | undefined): PodSketch[] {
    const sketches: PodSketch[] = [];
    const sketch = (namespaceSelector: unknown, selector: unknown, defaultNamespace: string | undefined) => {
        const podLabels = selector === undefined ? {} : equalityLabels(selector);
        if (!podLabels) return;
        const pinned = namespaceSelector === undefined ? defaultNamespace : pinnedNamespace(namespaceSelector);
        if (pinned) sketches.push({ namespace: pinned, labels: podLabels });
    };
    if (object.kind === "GlobalNetworkPolicy") sketch(at(object.spec, "namespaceSelector"), at(object.spec, "selector"), undefined);
    for (const direction of ["ingress", "egress"]) {
        const rules = asList(at(object.spec, direction));
        if (rules === UNKNOWN) continue;
        for (const rule of rules) {
            for (const side of ["source", "destination"]) {
                const entity = at(rule, side);
                if (at(entity, "selector") !== undefined || at(entity, "namespaceSelector") !== undefined) sketch(at(entity, "namespaceSelector"), at(entity, "selector"), namespace);
            }
        }
    }
    return sketches;
}

function parsed(text: unknown): Selector | undefined {
    if (typeof text !== "string") return undefined;
    try {
        return parseSelector(text);
    } catch {
        return undefined;
    }
}

/** The labels a selector made only of `key == 'value'` terms (joined by &&) requires; undefined for anything else. */
function equalityLabels(text: unknown): Record<string, string> | undefined {
    const selector = parsed(text);
    if (!selector) return undefined;
    const collect = (node: Selector): Record<string, string> | undefined => {
        if (node.op === "all") return {};
        if (node.op === "==") return { [node.key]: node.value };
        if (node.op !== "&&") return undefined;
        const parts = node.operands.map(collect);
        return parts.every((part) => part !== undefined) ? Object.assign({}, ...parts) : undefined;
    };
    return collect(selector);
}

/** The namespace a Calico namespaceSelector names (projectcalico.org/name == '...'), if it pins one. */
function pinnedNamespace(text: unknown): string | undefined {
    const labels = equalityLabels(text);
    return labels?.["projectcalico.org/name"] ?? labels?.["kubernetes.io/metadata.name"];
}

function infrastructureNamespaces(objects: readonly StackKubernetesObject[]): Set<string> {
    const names = new Set<string>();
    for (const object of objects) {
        if (!isCalicoPolicyType(object.resource.type, "GlobalNetworkPolicy")) continue;
        const pinned = pinnedNamespace(at(object.spec, "namespaceSelector"));
        if (pinned) names.add(pinned);
    }
    return names;
}

/** How an entity reads in a message: "shop/frontend", "0.0.0.0-9.255.255.255", "default/kubernetes[APIServer]". */
export function entityText(entity: Entity): string {
    if (entity.type === "external") return entity.display.replace(/\[External\]$/, "");
    return entity.kind === "Pod" ? `${entity.namespace}/${entity.name}` : entity.display;
}

/**
 * One violation per workload pair; external ranges are grouped per workload and port set, after adjacent ranges
 * with the same flagged ports are merged as reach prints them (other policies' CIDRs cut the address space into
 * pieces that say nothing about this finding).
 */
function reportConnections(flagged: ReadonlyArray<{ connection: Connection; ports: ConnectionSet }>, remediation: string, reportViolation: ReportViolation): void {
    const grouped = new Map<string, { sources: Set<string>; destinations: Set<string>; ports: ConnectionSet }>();
    const merged = presentConnections(flagged.map(({ connection, ports }) => ({ ...connection, ports })), { self: true });
    for (const connection of merged) {
        const ports = connection.ports;
        const source = entityText(connection.source);
        const destination = entityText(connection.destination);
        const key = connection.source.type === "external"
            ? `external => ${destination} : ${ports.key()}`
            : connection.destination.type === "external" ? `${source} => external : ${ports.key()}` : `${source} => ${destination}`;
        const entry = grouped.get(key) ?? { sources: new Set<string>(), destinations: new Set<string>(), ports };
        entry.sources.add(source);
        entry.destinations.add(destination);
        grouped.set(key, entry);
    }
    for (const { sources, destinations, ports } of grouped.values()) {
        reportViolation(`${[...sources].join(", ")} => ${[...destinations].join(", ")} : ${ports.format()}. ${remediation}`);
    }
}

/** Runs a tier invariant over the stack's analysis; skips (not applicable) while values are unknown. */
function validateReachability(args: StackValidationArgs, reportViolation: ReportViolation, check: (reachability: StackReachability) => Array<{ connection: Connection; ports: ConnectionSet }>, remediation: string): void {
    const outcome = analyseStack(args.resources);
    if (outcome.kind === "unknown") {
        args.notApplicable(outcome.reason);
    } else if (outcome.kind === "invalid") {
        reportViolation(`the stack's network policies cannot be analysed: ${outcome.message}. Fix the object; Calico ignores invalid policies silently.`);
    } else {
        reportConnections(check(outcome.reachability), remediation, reportViolation);
    }
}

function labelsOf(reachability: StackReachability, entity: Entity): Readonly<Record<string, string>> {
    return entity.type === "workload" ? (reachability.labels.get(entity.display) ?? {}) : {};
}

function isTier(reachability: StackReachability, entity: Entity, tier: string): boolean {
    return labelsOf(reachability, entity)[TIER_LABEL] === tier;
}

/** The web tier never reaches the data tier directly. */
export function webTierNeverReachesDataTierPolicy(): StackValidationPolicy {
    return {
        name: WEB_TIER_NEVER_REACHES_DATA_TIER,
        description: "No tier=web pod can open a connection to a tier=data pod (computed by the reachability engine, as enforced).",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Route the web tier through the api tier: remove the flow or rule that lets a web workload reach a data workload.",
        validateStack: (args, reportViolation) =>
            validateReachability(args, reportViolation, (reachability) =>
                reachability.analysis.connections
                    .filter((connection) => isTier(reachability, connection.source, "web") && isTier(reachability, connection.destination, "data"))
                    .map((connection) => ({ connection, ports: connection.ports })),
            "The web tier must go through the api tier: remove the flow or policy rule that lets it reach the data tier."),
    };
}

/** kube-system's kube-dns pods, or addresses all inside the LocalDNS listeners. */
function isDnsServer(reachability: StackReachability, entity: Entity): boolean {
    if (entity.type === "workload") return entity.namespace === "kube-system" && labelsOf(reachability, entity)["k8s-app"] === "kube-dns";
    let next = entity.start;
    for (const block of LOCAL_DNS_BLOCKS) {
        if (block.first <= next && next <= block.last) next = block.last + 1;
    }
    return next > entity.end;
}

/** The data tier reaches nothing but DNS: port 53 on kube-system's kube-dns pods (or the LocalDNS listeners). */
export function dataTierEgressDnsOnlyPolicy(): StackValidationPolicy {
    return {
        name: DATA_TIER_EGRESS_DNS_ONLY,
        description: "A tier=data pod can open connections only to DNS (kube-system/kube-dns, or AKS LocalDNS, on port 53), nowhere else, the internet included.",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Remove the data workload's egress (segmentation egress.fqdns / egress.cidrs and allowDataTierInternetEgress, flows from it), or relax this policy for the stack in the pack config.",
        validateStack: (args, reportViolation) =>
            validateReachability(args, reportViolation, (reachability) =>
                reachability.analysis.connections
                    .filter((connection) => isTier(reachability, connection.source, "data"))
                    .map((connection) => ({ connection, ports: isDnsServer(reachability, connection.destination) ? connection.ports.subtract(DNS) : connection.ports }))
                    .filter(({ ports }) => !ports.isEmpty()),
            "The data tier may only reach DNS (kube-system/kube-dns, or AKS LocalDNS, on port 53): remove its egress (segmentation egress.fqdns / egress.cidrs, the allowDataTierInternetEgress override, flows from it)."),
    };
}

/** Only the api tier of the same namespace, and infrastructure namespaces, reach the data tier. */
export function dataTierIngressAllowlistPolicy(): StackValidationPolicy {
    return {
        name: DATA_TIER_INGRESS_ALLOWLIST,
        description: "Only tier=api pods of the same namespace, and pods of infrastructure namespaces (those a Calico GlobalNetworkPolicy applies to by name, e.g. metrics scraping), can connect to a tier=data pod.",
        enforcementLevel: "mandatory",
        severity: "critical",
        remediationSteps: "Remove the flow, ingressFrom entry or policy rule that admits the client; declare scrapers as segmentation.infrastructure.",
        validateStack: (args, reportViolation) =>
            validateReachability(args, reportViolation, (reachability) =>
                reachability.analysis.connections
                    .filter((connection) => isTier(reachability, connection.destination, "data"))
                    .filter((connection) => {
                        const { source, destination } = connection;
                        if (source.type !== "workload" || destination.type !== "workload") return true;
                        const sameNamespaceApi = source.namespace === destination.namespace && isTier(reachability, source, "api");
                        return !sameNamespaceApi && !reachability.infrastructureNamespaces.has(source.namespace);
                    })
                    .map((connection) => ({ connection, ports: connection.ports })),
            "Only the api tier of the same namespace and infrastructure namespaces may reach the data tier: remove the flow or policy rule that admits this client."),
    };
}
