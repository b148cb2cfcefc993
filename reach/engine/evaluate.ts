/**
 * Connectivity: which endpoint reaches which endpoint or external address range, on which traffic.
 *
 * A connection needs the source's egress AND the destination's ingress to allow it; external addresses
 * have no policy of their own. Each direction is evaluated the Calico way: tiers in order; within a tier,
 * policies in order and their rules in order; Allow and Deny end evaluation, Log continues, Pass jumps to
 * the next tier; traffic no rule decided is dropped at the end of a tier that selected the endpoint (or
 * passed on, for a tier with defaultAction Pass); after the last tier, what is left is allowed (Kubernetes'
 * default allow). Evaluation runs on port sets, so one walk answers all protocols and ports at once.
 *
 * To stay linear in practice, each endpoint is evaluated against the endpoints its rules name (found
 * through a label index) one by one, and against "every other workload" once.
 */
import { type CompiledPolicy, type CompiledRule, type Direction, type EntityMatch, type NamespaceScope, type Selection, isAnywhere } from "./compile";
import { type Intervals, intersectIntervals, intervalsContain, intervalsCover, subtractIntervals, unionIntervals } from "./intervals";
import { ALL_IPV4, PUBLIC_API_SERVER_ADDRESSES, pieceIndex, rangeText, splitAddressSpace } from "./ipranges";
import {
    API_SERVER_KIND,
    type ClusterModel,
    type Endpoint,
    type NetworkSetInfo,
    type ServicePort,
    type TierInfo,
    compareText,
} from "./model";
import type { Warning } from "../input";
import { type PortProtocol, ConnectionSet } from "./ports";
import { type Labels, matchesSelector, requiredLabels, selectorText } from "../input";

/** A workload (or the API server pseudo-endpoint) in results. */
export interface WorkloadEntity {
    /** Discriminator. */
    readonly type: "workload";
    /** Deployment, Pod, ..., or APIServer. */
    readonly kind: string;
    /** Namespace. */
    readonly namespace: string;
    /** Name. */
    readonly name: string;
    /** "namespace/name[Kind]". */
    readonly display: string;
}

/** A range of external IPv4 addresses in results ("a.b.c.d-e.f.g.h[External]"). */
export interface ExternalEntity {
    /** Discriminator. */
    readonly type: "external";
    /** First address, as a number. */
    readonly start: number;
    /** Last address, as a number. */
    readonly end: number;
    /** "a.b.c.d-e.f.g.h[External]". */
    readonly display: string;
}

/** Either side of a connection. */
export type Entity = WorkloadEntity | ExternalEntity;

/** One allowed connection: traffic from source to destination that both sides' policies allow. */
export interface Connection {
    /** Who opens the connection. */
    readonly source: Entity;
    /** Who accepts it. */
    readonly destination: Entity;
    /** Allowed protocols and destination ports. */
    readonly ports: ConnectionSet;
}

/** The API server pseudo-endpoint only listens on HTTPS. */
const API_SERVER_TRAFFIC = ConnectionSet.ports("TCP", 443);

/** Result entities for external ranges, shared: the same few ranges recur in every workload's connections. */
const externalEntities = new Map<string, ExternalEntity>();

/** Makes the result entity for an external range. */
export function externalEntity(start: number, end: number): ExternalEntity {
    const key = `${start}-${end}`;
    let entity = externalEntities.get(key);
    if (!entity) {
        if (externalEntities.size >= 100_000) externalEntities.clear(); // bounded in long-lived processes
        externalEntities.set(key, (entity = { type: "external", start, end, display: `${rangeText(start, end)}[External]` }));
    }
    return entity;
}

/** Output order of entities: workloads by namespace, name, kind; then external ranges by address. */
export function compareEntities(a: Entity, b: Entity): number {
    if (a.type === "workload" && b.type === "workload") {
        return compareText(a.namespace, b.namespace) || compareText(a.name, b.name) || compareText(a.kind, b.kind);
    }
    if (a.type === "external" && b.type === "external") return a.start - b.start || a.end - b.end;
    return a.type === "workload" ? -1 : 1;
}

/** Output order of connections: by source, then destination. */
export function compareConnections(a: Connection, b: Connection): number {
    return compareEntities(a.source, b.source) || compareEntities(a.destination, b.destination);
}

/** The other side of a direction's evaluation. */
export type Peer =
    | { readonly kind: "endpoint"; readonly id: number }
    | { readonly kind: "piece"; readonly index: number }
    | { readonly kind: "otherWorkload" };

const OTHER_WORKLOAD: Peer = { kind: "otherWorkload" };

type ServiceLookup = (namespace: string, name: string) => readonly ServicePort[] | undefined;

interface ResolvedEntity {
    readonly entity: EntityMatch;
    readonly allWorkloads: boolean;
    readonly workloads: ReadonlySet<number>;
    /** Workloads left unmatched because their nets/notNets answer depends on pod IPs the input does not give. */
    readonly uncertain: ReadonlySet<number>;
    /** Host-networked workloads it matches: by address only (their node's), never by label, service or account. */
    readonly hostNetwork: ReadonlySet<number>;
    readonly apiServer: boolean;
    /** Its ranges hold some public addresses but not all: the public API server may be among them ("uncertain"). */
    readonly apiServerPossible: boolean;
    readonly pieces: Uint8Array;
}

interface ResolvedRule {
    readonly rule: CompiledRule;
    readonly peers: readonly ResolvedEntity[];
    readonly local?: ResolvedEntity;
    /** Traffic, when it does not depend on the destination (no named ports, no service). */
    readonly fixedTraffic?: ConnectionSet;
}

interface ResolvedPolicy {
    readonly policy: CompiledPolicy;
    readonly appliesTo: ResolvedEntity;
    readonly ingress?: readonly ResolvedRule[];
    readonly egress?: readonly ResolvedRule[];
}

interface TierGroup {
    readonly tier: TierInfo;
    /** Policies of the tier that apply to the endpoint, in order (appended while building). */
    readonly policies: { readonly policy: CompiledPolicy; readonly rules: readonly ResolvedRule[] }[];
}

/** One step of an explained evaluation. */
export interface TraceStep {
    /** Policy that took the step. */
    readonly policy: CompiledPolicy;
    /** Rule that matched, or undefined when the policy applied but none of its rules matched. */
    readonly rule?: CompiledRule;
    /** Traffic the step decided (for Log: the traffic it saw). */
    readonly traffic: ConnectionSet;
    /** What happened to that traffic. */
    readonly effect: "allowed" | "denied" | "passed" | "logged" | "no rule matched";
}

/** What one tier did. */
export interface TierOutcome {
    /** The tier. */
    readonly tier: TierInfo;
    /** Steps in evaluation order. */
    readonly steps: readonly TraceStep[];
    /** Traffic no rule decided that the tier dropped at its end. */
    readonly dropped: ConnectionSet;
    /** Traffic passed to the next tier (Pass rules, or defaultAction Pass). */
    readonly passedOn: ConnectionSet;
}

/** An explained evaluation of one direction. */
export interface DirectionTrace {
    /** "egress" of the source or "ingress" of the destination. */
    readonly direction: Direction;
    /** The endpoint whose policies were evaluated, or undefined when that side is external (no policy). */
    readonly subject?: WorkloadEntity;
    /** Tiers that selected the subject, in order. */
    readonly tiers: readonly TierOutcome[];
    /** Traffic left undecided after the last tier, allowed by default. */
    readonly allowedByDefault: ConnectionSet;
    /** Traffic this direction allows. */
    readonly allowed: ConnectionSet;
}

class Resolver {
    private readonly byNamespace = new Map<string, number[]>();
    private readonly byLabel = new Map<string, Map<string, number[]>>();
    private readonly namespaceCache = new Map<string, ReadonlySet<string>>();
    private readonly entityCache = new Map<string, ResolvedEntity>();
    private readonly networkSetCache = new Map<string, Intervals>();
    private readonly allIds: number[];
    private readonly noPieces: Uint8Array;
    private readonly everyPiece: Uint8Array;
    readonly warnings: Warning[] = [];

    constructor(
        private readonly model: ClusterModel,
        private readonly workloads: readonly Endpoint[],
        private readonly apiServerId: number | undefined,
        private readonly pieceStarts: readonly number[],
    ) {
        this.allIds = workloads.map((workload) => workload.id);
        this.noPieces = new Uint8Array(pieceStarts.length);
        this.everyPiece = new Uint8Array(pieceStarts.length).fill(1);
        for (const workload of workloads) {
            // Not an endpoint to Calico: no selector finds it (resolveHostNetwork matches it by address).
            if (workload.hostNetwork) continue;
            let list = this.byNamespace.get(workload.namespace);
            if (!list) this.byNamespace.set(workload.namespace, (list = []));
            list.push(workload.id);
            for (const [key, value] of workload.calicoLabels) {
                let values = this.byLabel.get(key);
                if (!values) this.byLabel.set(key, (values = new Map()));
                let ids = values.get(value);
                if (!ids) values.set(value, (ids = []));
                ids.push(workload.id);
            }
        }
    }

    private namespaceLabels(name: string, view: EntityMatch["view"]): Labels {
        const namespace = this.model.namespaces.get(name);
        if (!namespace) return new Map();
        return view === "kubernetes" ? namespace.labels : namespace.calicoLabels;
    }

    private namespacesMatching(scope: NamespaceScope & { kind: "selector" }, view: EntityMatch["view"]): ReadonlySet<string> {
        const key = `${view}|${selectorText(scope.selector)}`;
        let names = this.namespaceCache.get(key);
        if (!names) {
            const matched = new Set<string>();
            for (const name of this.model.namespaces.keys()) {
                if (matchesSelector(scope.selector, this.namespaceLabels(name, view))) matched.add(name);
            }
            this.namespaceCache.set(key, (names = matched));
        }
        return names;
    }

    private inScope(scope: NamespaceScope, namespace: string, view: EntityMatch["view"]): boolean {
        if (scope.kind === "any") return true;
        if (scope.kind === "name") return scope.name === namespace;
        return this.namespacesMatching(scope, view).has(namespace);
    }

    private selects(selection: Selection, workload: Endpoint, view: EntityMatch["view"]): boolean {
        return (
            this.inScope(selection.namespaces, workload.namespace, view) &&
            matchesSelector(selection.selector, view === "kubernetes" ? workload.labels : workload.calicoLabels)
        );
    }

    /**
     * Whether a workload's pods are inside `nets` and outside `notNets`. Felix matches both against the
     * packet's address, and a pod's address is its IP (libcalico-go rules.go: SrcNets/NotSrcNets go to the
     * dataplane as CIDR matches, with no endpoint exception). Known IPs (status.podIP) are matched exactly;
     * a pod without one lies somewhere in the pod address space (the Calico IPPools in the input, else all of
     * IPv4): "yes"/"no" when every address there gives the same answer, "unknown" otherwise.
     */
    private addressMatch(entity: EntityMatch, workload: Endpoint): "yes" | "no" | "unknown" {
        const pods = workload.podIPs && workload.podIPs.length > 0 ? workload.podIPs : [undefined];
        let yes = 0;
        let no = 0;
        for (const ip of pods) {
            const answer = ip === undefined ? this.podSpaceMatch(entity) : addressInside(entity, ip) ? "yes" : "no";
            if (answer === "yes") yes++;
            else if (answer === "no") no++;
        }
        return yes === pods.length ? "yes" : no === pods.length ? "no" : "unknown";
    }

    private podSpaceMatch(entity: EntityMatch): "yes" | "no" | "unknown" {
        const space = this.model.podAddressSpace;
        const inNets = entity.nets === undefined ? "yes" : intervalsCover(entity.nets, space) ? "yes" : intersectIntervals(entity.nets, space).length === 0 ? "no" : "unknown";
        const outNotNets =
            entity.notNets === undefined ? "yes" : intersectIntervals(entity.notNets, space).length === 0 ? "yes" : intervalsCover(entity.notNets, space) ? "no" : "unknown";
        if (inNets === "no" || outNotNets === "no") return "no";
        return inNets === "yes" && outNotNets === "yes" ? "yes" : "unknown";
    }

    private matchesWorkload(entity: EntityMatch, workload: Endpoint, uncertain: Set<number>): boolean {
        if (workload.hostNetwork) return false;
        if (entity.service) {
            const service = this.model.services.get(`${entity.service.namespace}/${entity.service.name}`);
            if (!service?.selector || workload.namespace !== service.namespace) return false;
            for (const [key, value] of service.selector) if (workload.labels.get(key) !== value) return false;
        }
        if (entity.select && !this.selects(entity.select, workload, entity.view)) return false;
        if (entity.exclude && this.selects(entity.exclude, workload, entity.view)) return false;
        if (entity.serviceAccounts) {
            const { names, selector } = entity.serviceAccounts;
            if (names && !names.includes(workload.serviceAccount)) return false;
            if (selector) {
                const labels = new Map(this.model.serviceAccounts.get(`${workload.namespace}/${workload.serviceAccount}`) ?? []);
                labels.set("projectcalico.org/name", workload.serviceAccount);
                if (!matchesSelector(selector, labels)) return false;
            }
        }
        // Addresses last, so only workloads that every other condition matches are reported as uncertain.
        if (entity.nets !== undefined || entity.notNets !== undefined) {
            const answer = this.addressMatch(entity, workload);
            if (answer === "unknown") uncertain.add(workload.id);
            if (answer !== "yes") return false;
        }
        return true;
    }

    /** A superset of the workloads an entity can match, from the smallest index list that applies. */
    private candidates(entity: EntityMatch): readonly number[] {
        // Each option is a list of id lists; only the smallest option is materialised.
        const options: (readonly (readonly number[])[])[] = [];
        if (entity.service) options.push([this.byNamespace.get(entity.service.namespace) ?? []]);
        if (entity.select) {
            const scope = entity.select.namespaces;
            if (scope.kind === "name") options.push([this.byNamespace.get(scope.name) ?? []]);
            else if (scope.kind === "selector") {
                const names = this.namespacesMatching(scope, entity.view);
                if (names.size < this.byNamespace.size) options.push([...names].map((name) => this.byNamespace.get(name) ?? []));
            }
            // Every Kubernetes label is also a Calico label, so the Calico index narrows both views.
            for (const requirement of requiredLabels(entity.select.selector)) {
                const values = this.byLabel.get(requirement.key);
                if (!values) return [];
                options.push(requirement.values === undefined ? [...values.values()] : requirement.values.map((value) => values.get(value) ?? []));
            }
        }
        let best: readonly (readonly number[])[] = [this.allIds];
        let bestSize = this.allIds.length;
        for (const option of options) {
            let size = 0;
            for (const list of option) size += list.length;
            if (size < bestSize) {
                best = option;
                bestSize = size;
            }
        }
        if (best.length === 1) return best[0]!;
        const ids: number[] = [];
        for (const list of best) for (const id of list) ids.push(id);
        return ids;
    }

    private networkSetNets(selection: Selection, view: EntityMatch["view"]): Intervals {
        const key = `${view}|${JSON.stringify(selection.namespaces)}|${selectorText(selection.selector)}`;
        let nets = this.networkSetCache.get(key);
        if (nets === undefined) {
            nets = [];
            for (const set of this.model.networkSets) {
                if (this.networkSetSelected(set, selection)) nets = unionIntervals(nets, set.nets);
            }
            this.networkSetCache.set(key, nets);
        }
        return nets;
    }

    private networkSetSelected(set: NetworkSetInfo, selection: Selection): boolean {
        const global = set.namespace === undefined;
        const scope = selection.namespaces;
        if (scope.kind === "name" && scope.name !== set.namespace) return false;
        if (scope.kind === "selector") {
            const labels = global ? new Map<string, string>() : this.namespaceLabels(set.namespace!, "calico");
            if (!matchesSelector(scope.selector, labels, global)) return false;
        }
        return matchesSelector(selection.selector, set.labels, global);
    }

    /** Which external address pieces the entity matches (one byte per piece). */
    private pieces(entity: EntityMatch): Uint8Array {
        // Most entities are label-only (no piece) or unconstrained (every piece): share those answers.
        if (entity.service || entity.serviceAccounts || (entity.view === "kubernetes" && entity.select !== undefined)) return this.noPieces;
        if (isAnywhere(entity)) return this.everyPiece;
        const pieces = new Uint8Array(this.pieceStarts.length);
        const matches = this.pieceMatcher(entity);
        for (let index = 0; index < pieces.length; index++) pieces[index] = matches(this.pieceStarts[index]!) ? 1 : 0;
        return pieces;
    }

    private pieceMatcher(entity: EntityMatch): (start: number) => boolean {
        if (entity.service || entity.serviceAccounts) return () => false;
        if (entity.view === "kubernetes" && entity.select !== undefined) return () => false;
        const selected = entity.view === "calico" && entity.select ? this.networkSetNets(entity.select, entity.view) : undefined;
        const excluded = entity.view === "calico" && entity.exclude ? this.networkSetNets(entity.exclude, entity.view) : undefined;
        return (start) =>
            (entity.nets === undefined || intervalsContain(entity.nets, start)) &&
            (entity.notNets === undefined || !intervalsContain(entity.notNets, start)) &&
            (selected === undefined || intervalsContain(selected, start)) &&
            (excluded === undefined || !intervalsContain(excluded, start));
    }

    resolve(entity: EntityMatch): ResolvedEntity {
        const key = `${entity.view}|${entity.text}`;
        const cached = this.entityCache.get(key);
        if (cached) return cached;
        const allWorkloads =
            entity.nets === undefined &&
            entity.notNets === undefined &&
            entity.exclude === undefined &&
            entity.serviceAccounts === undefined &&
            entity.service === undefined &&
            (entity.select === undefined || (scopeIsEverything(entity.select.namespaces) && entity.select.selector.op === "all"));
        const workloads = new Set<number>();
        const uncertain = new Set<number>();
        if (!allWorkloads) {
            for (const id of this.candidates(entity)) {
                if (this.matchesWorkload(entity, this.workloads[id]!, uncertain)) workloads.add(id);
            }
        }
        if (entity.service && entity.service.namespace !== "" && !namesApiServer(entity, this.model) && !this.model.services.get(`${entity.service.namespace}/${entity.service.name}`)?.selector) {
            this.warnings.push({ message: `service ${entity.service.namespace}/${entity.service.name} is not defined (or has no selector); rules naming it match nothing` });
        }
        const apiServer =
            this.apiServerId !== undefined &&
            ((entity.select === undefined && entity.nets === undefined && entity.notNets === undefined && entity.serviceAccounts === undefined && entity.service === undefined) ||
                namesApiServer(entity, this.model) ||
                coversPublicApiServer(entity));
        const apiServerPossible = this.apiServerId !== undefined && !apiServer && coversSomePublicAddress(entity);
        const hostNetwork = new Set<number>();
        for (const workload of this.workloads) {
            if (!workload.hostNetwork) continue;
            const answer = hostNetworkMatch(entity, workload);
            if (answer === "yes") hostNetwork.add(workload.id);
            else if (answer === "unknown") uncertain.add(workload.id);
        }
        const resolved = { entity, allWorkloads, workloads, uncertain, hostNetwork, apiServer, apiServerPossible, pieces: this.pieces(entity) };
        this.entityCache.set(key, resolved);
        return resolved;
    }
}

/**
 * True when the entity's address ranges hold every place a public API server can be (all public IPv4): the
 * API server of a public AKS cluster is an address in public space, so such an ipBlock or `nets` (or a lone
 * `notNets` that leaves public space alone) reaches it. A selector limits a rule to endpoints, which the API
 * server is not; a lone `notSelector` excludes endpoints only, as `pieceMatcher` treats external addresses.
 */
export function coversPublicApiServer(entity: EntityMatch): boolean {
    if ((entity.nets === undefined && entity.notNets === undefined) || entity.select !== undefined || entity.serviceAccounts !== undefined || entity.service !== undefined) return false;
    const nets = entity.nets ?? ALL_IPV4;
    const reached = entity.notNets !== undefined ? subtractIntervals(nets, entity.notNets) : nets;
    return intervalsCover(reached, PUBLIC_API_SERVER_ADDRESSES);
}

/**
 * True when the entity's address ranges hold some public address (but maybe not all): a public API server might be
 * one of them. Its real address is unknown offline, so an Allow rule with such a range is counted as reaching it
 * ("uncertain"), unless a `services` match on default/kubernetes denied it first; a Deny rule with such a range is
 * not counted as denying it (it might miss). Conservative both ways.
 */
export function coversSomePublicAddress(entity: EntityMatch): boolean {
    if ((entity.nets === undefined && entity.notNets === undefined) || entity.select !== undefined || entity.serviceAccounts !== undefined || entity.service !== undefined) return false;
    const nets = entity.nets ?? ALL_IPV4;
    const reached = entity.notNets !== undefined ? subtractIntervals(nets, entity.notNets) : nets;
    return intersectIntervals(reached, PUBLIC_API_SERVER_ADDRESSES).length > 0;
}

/**
 * Whether a rule's entity matches a host-networked workload's traffic. Felix sees only its node's address: label
 * selectors (pods or network sets), services and service accounts never match it; nets/notNets match the node
 * address (status.podIP of a host-networked pod), "unknown" when the input gives none and the answer depends on it.
 */
function hostNetworkMatch(entity: EntityMatch, workload: Endpoint): "yes" | "no" | "unknown" {
    if (entity.select !== undefined || entity.service !== undefined || entity.serviceAccounts !== undefined) return "no";
    if (entity.nets === undefined && entity.notNets === undefined) return "yes";
    const addresses = (workload.podIPs ?? []).filter((ip): ip is number => ip !== undefined);
    if (addresses.length === 0) return entity.notNets === undefined && intervalsCover(entity.nets!, ALL_IPV4) ? "yes" : "unknown";
    const inside = addresses.filter((ip) => addressInside(entity, ip)).length;
    return inside === addresses.length ? "yes" : inside === 0 ? "no" : "unknown";
}

/** Whether an address is inside the entity's nets and outside its notNets. */
function addressInside(entity: EntityMatch, address: number): boolean {
    return (entity.nets === undefined || intervalsContain(entity.nets, address)) && (entity.notNets === undefined || !intervalsContain(entity.notNets, address));
}

/** True when the entity's `services` names the API server: default/kubernetes without a pod selector. */
function namesApiServer(entity: EntityMatch, model: ClusterModel): boolean {
    if (!entity.service || entity.service.namespace !== "default" || entity.service.name !== "kubernetes") return false;
    return model.services.get("default/kubernetes")?.selector === undefined;
}

function scopeIsEverything(scope: NamespaceScope): boolean {
    return scope.kind === "any" || (scope.kind === "selector" && scope.selector.op === "all");
}

/** Per endpoint and direction: the result against every peer. */
interface DirectionResult {
    /** Tiers that selected the endpoint. */
    readonly groups: readonly TierGroup[];
    /** Allowed traffic with each endpoint its rules name (and the API server). */
    readonly perEndpoint: ReadonlyMap<number, ConnectionSet>;
    /** Allowed traffic with any workload not in perEndpoint. */
    readonly otherWorkload: ConnectionSet;
    /** Allowed traffic with each external address piece. */
    readonly perPiece: readonly ConnectionSet[];
}

function collectNets(policies: readonly CompiledPolicy[], networkSets: readonly NetworkSetInfo[]): Intervals[] {
    const sets: Intervals[] = networkSets.map((set) => set.nets);
    for (const policy of policies) {
        for (const rules of [policy.ingress, policy.egress]) {
            for (const rule of rules ?? []) {
                for (const entity of rule.local ? [...rule.peers, rule.local] : rule.peers) {
                    if (entity.nets) sets.push(entity.nets);
                    if (entity.notNets) sets.push(entity.notNets);
                }
            }
        }
    }
    return sets;
}

/** The compiled cluster, ready to answer connectivity questions. */
export class ReachabilityEngine {
    /** Workloads and, when some rule names it, the API server pseudo-endpoint. */
    readonly endpoints: readonly Endpoint[];
    /** Result entities for the endpoints, by endpoint id. */
    readonly entities: readonly WorkloadEntity[];
    /** Start addresses of the external address pieces (every boundary any policy mentions). */
    readonly pieceStarts: readonly number[];
    /** Problems found while resolving. */
    readonly warnings: readonly Warning[];
    private readonly apiServerId: number | undefined;
    /** Host-networked workloads: unpoliced, matched by address only. */
    private readonly hostNetworkIds: readonly number[];
    private readonly groups: { readonly ingress: readonly TierGroup[][]; readonly egress: readonly TierGroup[][] };
    private readonly serviceLookup: ServiceLookup;

    constructor(model: ClusterModel, policies: readonly CompiledPolicy[]) {
        this.serviceLookup = (namespace, name) => model.services.get(`${namespace}/${name}`)?.ports;
        const referencesApiServer = policies.some((policy) =>
            [policy.ingress ?? [], policy.egress ?? []].some((rules) =>
                rules.some((rule) => [...rule.peers, ...(rule.local ? [rule.local] : [])].some((entity) => namesApiServer(entity, model) || coversSomePublicAddress(entity))),
            ),
        );
        const endpoints: Endpoint[] = [...model.workloads];
        if (referencesApiServer) {
            endpoints.push({
                id: endpoints.length,
                kind: API_SERVER_KIND,
                namespace: "default",
                name: "kubernetes",
                display: `default/kubernetes[${API_SERVER_KIND}]`,
                labels: new Map(),
                calicoLabels: new Map(),
                ports: [{ name: "https", port: 443, protocol: "TCP" }],
                serviceAccount: "",
            });
        }
        this.endpoints = endpoints;
        this.hostNetworkIds = model.workloads.filter((workload) => workload.hostNetwork).map((workload) => workload.id);
        this.apiServerId = referencesApiServer ? endpoints.length - 1 : undefined;
        this.entities = endpoints.map((endpoint) => ({
            type: "workload" as const,
            kind: endpoint.kind,
            namespace: endpoint.namespace,
            name: endpoint.name,
            display: endpoint.display,
        }));
        this.pieceStarts = splitAddressSpace(collectNets(policies, model.networkSets));
        const resolver = new Resolver(model, model.workloads, this.apiServerId, this.pieceStarts);

        const ingress: TierGroup[][] = endpoints.map(() => []);
        const egress: TierGroup[][] = endpoints.map(() => []);
        for (const policy of policies) {
            const resolved = this.resolvePolicy(policy, resolver);
            const subjects: Iterable<number> = resolved.appliesTo.allWorkloads ? model.workloads.keys() : resolved.appliesTo.workloads;
            for (const id of subjects) {
                // No workload endpoint, so no policy applies to a host-networked pod (and AKS has no host endpoints).
                if (model.workloads[id]!.hostNetwork) continue;
                if (resolved.ingress) addToGroups(ingress[id]!, policy, resolved.ingress);
                if (resolved.egress) addToGroups(egress[id]!, policy, resolved.egress);
            }
        }
        this.groups = { ingress, egress };
        this.warnings = dedupe(resolver.warnings);
    }

    private resolvePolicy(policy: CompiledPolicy, resolver: Resolver): ResolvedPolicy {
        return {
            policy,
            appliesTo: resolver.resolve(policy.appliesTo),
            ingress: policy.ingress?.map((rule) => this.resolveRule(rule, resolver)),
            egress: policy.egress?.map((rule) => this.resolveRule(rule, resolver)),
        };
    }

    private resolveRule(rule: CompiledRule, resolver: Resolver): ResolvedRule {
        const traffic = rule.traffic;
        const dependsOnDestination =
            traffic.namedPorts.length > 0 ||
            traffic.notNamedPorts.length > 0 ||
            rule.peers.some((peer) => peer.service !== undefined) ||
            rule.local?.service !== undefined;
        return {
            rule,
            peers: rule.peers.map((peer) => resolver.resolve(peer)),
            local: rule.local ? resolver.resolve(rule.local) : undefined,
            fixedTraffic: dependsOnDestination ? undefined : trafficFor(rule, undefined, undefined),
        };
    }

    private trafficOf(resolved: ResolvedRule, direction: Direction, subject: Endpoint, peer: Peer): ConnectionSet {
        if (resolved.fixedTraffic) return resolved.fixedTraffic;
        const destination = direction === "ingress" ? subject : peer.kind === "endpoint" ? this.endpoints[peer.id] : undefined;
        const serviceSide = direction === "ingress" ? resolved.rule.local : resolved.rule.peers[0];
        return trafficFor(resolved.rule, destination, serviceSide?.service ? { ...serviceSide.service, apiServer: destination?.kind === API_SERVER_KIND } : undefined, this.serviceLookup);
    }

    private matchesPeer(resolved: ResolvedEntity, peer: Peer, action: CompiledRule["action"]): boolean {
        switch (peer.kind) {
            case "endpoint":
                if (peer.id === this.apiServerId) return resolved.apiServer || (action !== "Deny" && resolved.apiServerPossible);
                if (this.endpoints[peer.id]!.hostNetwork) return resolved.hostNetwork.has(peer.id);
                return resolved.allWorkloads || resolved.workloads.has(peer.id);
            case "piece":
                return resolved.pieces[peer.index] === 1;
            case "otherWorkload":
                return resolved.allWorkloads;
        }
    }

    private matchesAnyPeer(peers: readonly ResolvedEntity[], peer: Peer, action: CompiledRule["action"]): boolean {
        for (const entity of peers) if (this.matchesPeer(entity, peer, action)) return true;
        return false;
    }

    /** Evaluates one direction for one subject endpoint against one peer; fills `trace` when given. */
    evaluate(subjectId: number, direction: Direction, peer: Peer, trace?: TierOutcome[]): ConnectionSet {
        const subject = this.endpoints[subjectId]!;
        let open = ConnectionSet.ALL;
        let allowed = ConnectionSet.NONE;
        for (const group of this.groups[direction][subjectId] ?? []) {
            let undecided = open;
            let passed = ConnectionSet.NONE;
            const steps: TraceStep[] | undefined = trace ? [] : undefined;
            policies: for (const { policy, rules } of group.policies) {
                let matchedAny = false;
                for (const resolved of rules) {
                    if (resolved.rule.neverMatches !== undefined) continue;
                    if (resolved.local && !(resolved.local.allWorkloads || resolved.local.workloads.has(subjectId))) continue;
                    if (!this.matchesAnyPeer(resolved.peers, peer, resolved.rule.action)) continue;
                    const covered = this.trafficOf(resolved, direction, subject, peer).intersect(undecided);
                    if (covered.isEmpty()) continue;
                    matchedAny = true;
                    const action = resolved.rule.action;
                    if (action === "Log") {
                        steps?.push({ policy, rule: resolved.rule, traffic: covered, effect: "logged" });
                        continue;
                    }
                    if (action === "Allow") allowed = allowed.union(covered);
                    else if (action === "Pass") passed = passed.union(covered);
                    undecided = undecided.subtract(covered);
                    steps?.push({ policy, rule: resolved.rule, traffic: covered, effect: action === "Allow" ? "allowed" : action === "Pass" ? "passed" : "denied" });
                    if (undecided.isEmpty()) break policies;
                }
                if (!matchedAny) steps?.push({ policy, traffic: ConnectionSet.NONE, effect: "no rule matched" });
            }
            const passOn = group.tier.defaultAction === "Pass";
            trace?.push({ tier: group.tier, steps: steps ?? [], dropped: passOn ? ConnectionSet.NONE : undecided, passedOn: passOn ? passed.union(undecided) : passed });
            open = passOn ? passed.union(undecided) : passed;
            if (open.isEmpty()) break;
        }
        return allowed.union(open);
    }

    /**
     * Rules of the subject's policies whose match for this workload peer (or for the subject itself) was left
     * out because it depends on pod IPs the input does not give: "policy direction[index]" texts, in order.
     */
    unknownAddressRules(subjectId: number, direction: Direction, peer: Peer): string[] {
        const found: string[] = [];
        for (const group of this.groups[direction][subjectId] ?? []) {
            for (const { policy, rules } of group.policies) {
                for (const resolved of rules) {
                    const remote = peer.kind === "endpoint" && resolved.peers.some((entity) => entity.uncertain.has(peer.id));
                    const local = resolved.local?.uncertain.has(subjectId) === true;
                    if (remote || local) found.push(`${policy.display} ${direction}[${resolved.rule.index}]`);
                }
            }
        }
        return found;
    }

    /** True when some tier selects the endpoint for the direction. */
    isolated(subjectId: number, direction: Direction): boolean {
        return (this.groups[direction][subjectId] ?? []).length > 0;
    }

    /** The walk's answer for a peer, shared among peers that match the same relevant rules. */
    private sharedAnswer(subjectId: number, direction: Direction, peer: Peer, relevant: readonly ResolvedRule[], answers: Map<string, ConnectionSet>): ConnectionSet {
        let signature = "";
        for (const resolved of relevant) signature += this.matchesAnyPeer(resolved.peers, peer, resolved.rule.action) ? "1" : "0";
        let result = answers.get(signature);
        if (result === undefined) {
            result = this.evaluate(subjectId, direction, peer);
            answers.set(signature, result);
        }
        return result;
    }

    private directionResult(subjectId: number, direction: Direction): DirectionResult {
        const groups = this.groups[direction][subjectId] ?? [];
        const perEndpoint = new Map<number, ConnectionSet>();
        if (groups.length === 0) {
            return { groups, perEndpoint, otherWorkload: ConnectionSet.ALL, perPiece: this.pieceStarts.map(() => ConnectionSet.ALL) };
        }
        // Rules that can decide something for this subject; the walk's result depends only on which of them match.
        const relevant: ResolvedRule[] = [];
        for (const group of groups) {
            for (const { rules } of group.policies) {
                for (const resolved of rules) {
                    if (resolved.rule.neverMatches !== undefined || resolved.rule.action === "Log") continue;
                    if (resolved.local && !(resolved.local.allWorkloads || resolved.local.workloads.has(subjectId))) continue;
                    relevant.push(resolved);
                }
            }
        }
        const candidates = new Set<number>();
        let everyWorkload = false;
        for (const resolved of relevant) {
            for (const peer of resolved.peers) {
                if (peer.allWorkloads) {
                    // Named ports on the far end make the answer differ per destination workload.
                    if (direction === "egress" && resolved.fixedTraffic === undefined) everyWorkload = true;
                } else {
                    for (const id of peer.workloads) candidates.add(id);
                }
            }
        }
        if (everyWorkload) for (let id = 0; id < this.endpoints.length; id++) candidates.add(id);
        if (this.apiServerId !== undefined) candidates.add(this.apiServerId);
        // Host-networked workloads never match as "any other workload": each gets its own answer.
        for (const id of this.hostNetworkIds) candidates.add(id);

        // Peers matching the same rules get the same answer, unless egress traffic depends on the destination's ports.
        const sameTrafficForEveryEndpoint = direction === "ingress" || relevant.every((resolved) => resolved.fixedTraffic !== undefined);
        const answers = new Map<string, ConnectionSet>();
        for (const id of candidates) {
            const peer: Peer = { kind: "endpoint", id };
            perEndpoint.set(id, sameTrafficForEveryEndpoint ? this.sharedAnswer(subjectId, direction, peer, relevant, answers) : this.evaluate(subjectId, direction, peer));
        }
        const otherWorkload = this.evaluate(subjectId, direction, OTHER_WORKLOAD);
        // External pieces have no named ports, so their answers are always shared by signature.
        const perPiece = this.pieceStarts.map((_, index) => this.sharedAnswer(subjectId, direction, { kind: "piece", index }, relevant, answers));
        return { groups, perEndpoint, otherWorkload, perPiece };
    }

    /** Every allowed connection between endpoints, and between endpoints and external ranges (merged). */
    connections(): { connections: Connection[]; externals: ExternalEntity[] } {
        const count = this.endpoints.length;
        const ingress: DirectionResult[] = [];
        const egress: DirectionResult[] = [];
        for (let id = 0; id < count; id++) {
            ingress.push(this.directionResult(id, "ingress"));
            egress.push(this.directionResult(id, "egress"));
        }
        // Who names whom in ingress rules, and who accepts any workload: the only destinations to visit.
        const namedBy: number[][] = Array.from({ length: count }, () => []);
        const openDestinations: number[] = [];
        for (let destination = 0; destination < count; destination++) {
            for (const source of ingress[destination]!.perEndpoint.keys()) namedBy[source]!.push(destination);
            if (!ingress[destination]!.otherWorkload.isEmpty()) openDestinations.push(destination);
        }
        // External pieces: merge neighbours whose connections are identical into the reported ranges.
        const workloadIds = this.endpoints.filter((endpoint) => endpoint.id !== this.apiServerId).map((endpoint) => endpoint.id);
        const externals: ExternalEntity[] = [];
        const representatives: number[] = [];
        for (let index = 0; index < this.pieceStarts.length; index++) {
            const end = index + 1 < this.pieceStarts.length ? this.pieceStarts[index + 1]! - 1 : 0xffffffff;
            const last = representatives.length - 1;
            if (last >= 0 && samePiece(workloadIds, ingress, egress, representatives[last]!, index)) {
                externals[last] = externalEntity(externals[last]!.start, end);
            } else {
                representatives.push(index);
                externals.push(externalEntity(this.pieceStarts[index]!, end));
            }
        }

        // Emit in output order (compareConnections) without sorting the whole list: sources in entity order,
        // each with its workload destinations in entity order and then its external ranges; external sources last.
        const order = this.outputOrder();
        const rank = new Int32Array(count);
        order.forEach((id, position) => (rank[id] = position));
        const connections: Connection[] = [];
        for (const source of order) {
            const out = egress[source]!;
            const destinations = new Set<number>(out.perEndpoint.keys());
            if (!out.otherWorkload.isEmpty()) {
                for (const destination of namedBy[source]!) destinations.add(destination);
                for (const destination of openDestinations) destinations.add(destination);
            }
            for (const destination of [...destinations].sort((a, b) => rank[a]! - rank[b]!)) {
                if (source === this.apiServerId && destination === this.apiServerId) continue;
                const sent = out.perEndpoint.get(destination) ?? out.otherWorkload;
                if (sent.isEmpty()) continue;
                const inbound = ingress[destination]!;
                let ports = sent.intersect(inbound.perEndpoint.get(source) ?? inbound.otherWorkload);
                if (destination === this.apiServerId) ports = ports.intersect(API_SERVER_TRAFFIC);
                if (!ports.isEmpty()) connections.push({ source: this.entities[source]!, destination: this.entities[destination]!, ports });
            }
            if (source === this.apiServerId) continue;
            representatives.forEach((piece, index) => {
                const ports = out.perPiece[piece]!;
                if (!ports.isEmpty()) connections.push({ source: this.entities[source]!, destination: externals[index]!, ports });
            });
        }
        representatives.forEach((piece, index) => {
            for (const destination of order) {
                if (destination === this.apiServerId) continue;
                const ports = ingress[destination]!.perPiece[piece]!;
                if (!ports.isEmpty()) connections.push({ source: externals[index]!, destination: this.entities[destination]!, ports });
            }
        });
        return { connections, externals };
    }

    /** Endpoint ids in output order: workload ids already follow it; the API server slots in by name. */
    private outputOrder(): number[] {
        const order = this.endpoints.map((endpoint) => endpoint.id).filter((id) => id !== this.apiServerId);
        if (this.apiServerId !== undefined) {
            const apiServer = this.entities[this.apiServerId]!;
            const position = order.findIndex((id) => compareEntities(apiServer, this.entities[id]!) < 0);
            order.splice(position < 0 ? order.length : position, 0, this.apiServerId);
        }
        return order;
    }

    /** The external address piece holding an address. */
    pieceOf(address: number): number {
        return pieceIndex(this.pieceStarts, address);
    }

    /** The API server pseudo-endpoint's id, when present. */
    get apiServer(): number | undefined {
        return this.apiServerId;
    }
}

/** True when two external pieces have the same connectivity with every workload, both ways. */
function samePiece(workloadIds: readonly number[], ingress: readonly DirectionResult[], egress: readonly DirectionResult[], a: number, b: number): boolean {
    for (const id of workloadIds) {
        if (!egress[id]!.perPiece[a]!.equals(egress[id]!.perPiece[b]!)) return false;
        if (!ingress[id]!.perPiece[a]!.equals(ingress[id]!.perPiece[b]!)) return false;
    }
    return true;
}

function addToGroups(groups: TierGroup[], policy: CompiledPolicy, rules: readonly ResolvedRule[]): void {
    const last = groups[groups.length - 1];
    if (last && last.tier.name === policy.tier.name) {
        last.policies.push({ policy, rules });
    } else {
        groups.push({ tier: policy.tier, policies: [{ policy, rules }] });
    }
}

function dedupe(warnings: readonly Warning[]): Warning[] {
    const seen = new Set<string>();
    const unique: Warning[] = [];
    for (const warning of warnings) {
        if (seen.has(warning.message)) continue;
        seen.add(warning.message);
        unique.push(warning);
    }
    return unique;
}

/** Resolves named ports against a destination's container ports (name and protocol must both match). */
function resolveNamed(named: readonly { name: string; protocol: PortProtocol }[], destination: Endpoint | undefined): ConnectionSet {
    let result = ConnectionSet.NONE;
    if (!destination) return result;
    for (const reference of named) {
        for (const port of destination.ports) {
            if (port.name === reference.name && port.protocol === reference.protocol) result = result.union(ConnectionSet.ports(port.protocol, port.port));
        }
    }
    return result;
}

/** The traffic a rule covers towards a destination endpoint (undefined: external or unknown destination). */
function trafficFor(
    rule: CompiledRule,
    destination: Endpoint | undefined,
    service: { namespace: string; name: string; apiServer: boolean } | undefined,
    serviceLookup?: ServiceLookup,
): ConnectionSet {
    const traffic = rule.traffic;
    let ports =
        traffic.ports === undefined && traffic.namedPorts.length === 0
            ? ConnectionSet.ALL
            : (traffic.ports ?? ConnectionSet.NONE).union(resolveNamed(traffic.namedPorts, destination));
    let result = traffic.protocols.intersect(ports);
    if (traffic.notPorts !== undefined || traffic.notNamedPorts.length > 0) {
        result = result.subtract((traffic.notPorts ?? ConnectionSet.NONE).union(resolveNamed(traffic.notNamedPorts, destination)));
    }
    if (service) {
        if (service.apiServer) return result.intersect(API_SERVER_TRAFFIC);
        ports = ConnectionSet.NONE;
        for (const port of serviceLookup?.(service.namespace, service.name) ?? []) {
            ports =
                typeof port.targetPort === "number"
                    ? ports.union(ConnectionSet.ports(port.protocol, port.targetPort))
                    : ports.union(resolveNamed([{ name: port.targetPort, protocol: port.protocol }], destination));
        }
        result = result.intersect(ports);
    }
    return result;
}
