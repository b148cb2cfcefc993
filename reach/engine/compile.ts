/**
 * Compiles Kubernetes NetworkPolicies and Calico (Global)NetworkPolicies into one small form with every
 * API default applied: a policy selects endpoints and holds ordered rules per direction; a rule has an
 * action, the peers it matches (OR), an optional condition on the local endpoint, and the traffic
 * (protocols and destination ports) it covers. The form is printable (formatPolicy) so "why" has an answer.
 */
import { type FieldPath, type SourceLocation, type Warning, fieldError, lineFor } from "../input";
import { type Intervals, intervalsCover, subtractIntervals, unionIntervals } from "./intervals";
import { parseCidr } from "./ipranges";
import { compileLabelSelector } from "../input";
import type { ClusterModel, PolicyObject, TierInfo } from "./model";
import { type PortProtocol, ConnectionSet } from "./ports";
import type {
    CalicoEntityObject,
    CalicoPolicyObject,
    CalicoRuleObject,
    NetworkPolicyObject,
    NetworkPolicyPeerObject,
    NetworkPolicyPortObject,
} from "../input";
import { ALL, type Selector, SelectorSyntaxError, parseSelector, selectorText } from "../input";

/** Traffic direction, from the point of view of the endpoint a policy applies to. */
export type Direction = "ingress" | "egress";

/** Rule actions (Kubernetes rules are all Allow). */
export type Action = "Allow" | "Deny" | "Log" | "Pass";

/** Which namespaces a selection covers. */
export type NamespaceScope =
    | { readonly kind: "any" }
    | { readonly kind: "name"; readonly name: string }
    | { readonly kind: "selector"; readonly selector: Selector };

/** Endpoints (and Calico network sets) in the scoped namespaces whose labels match the selector. */
export interface Selection {
    /** Namespaces covered. */
    readonly namespaces: NamespaceScope;
    /** Label selector within them. */
    readonly selector: Selector;
}

/** Which labels selectors see: Kubernetes (the pod's own) or Calico (with projectcalico.org/* pseudo-labels). */
export type LabelView = "kubernetes" | "calico";

/**
 * One side of a connection as a rule or policy describes it. All present conditions must hold; with no
 * condition at all it matches any address (every endpoint and every external address).
 */
export interface EntityMatch {
    /** Label view for selectors. */
    readonly view: LabelView;
    /** Must be one of these endpoints or network sets. */
    readonly select?: Selection;
    /** Must not be one of these (Calico notSelector). */
    readonly exclude?: Selection;
    /** Address must be inside (ipBlock, nets): matches external addresses only, never workloads. */
    readonly nets?: Intervals;
    /** Address must be outside (ipBlock except is folded into nets; this is Calico notNets). */
    readonly notNets?: Intervals;
    /** Endpoint's service account must have one of these names and/or match this selector. */
    readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: Selector };
    /** Endpoint must back this Service (Calico `services`). */
    readonly service?: { readonly namespace: string; readonly name: string };
    /** Human-readable, canonical description (also the cache key, with the view). */
    readonly text: string;
}

/** A named port reference, resolved against the destination's container ports. */
export interface NamedPort {
    /** Port name. */
    readonly name: string;
    /** Protocol the container port must have. */
    readonly protocol: PortProtocol;
}

/** The protocols and destination ports a rule covers. */
export interface TrafficMatch {
    /** Protocols covered (ConnectionSet.ALL when unrestricted). */
    readonly protocols: ConnectionSet;
    /** Numeric ports; undefined (with no named ports) means every port. */
    readonly ports?: ConnectionSet;
    /** Named ports. */
    readonly namedPorts: readonly NamedPort[];
    /** Excluded numeric ports (Calico notPorts). */
    readonly notPorts?: ConnectionSet;
    /** Excluded named ports. */
    readonly notNamedPorts: readonly NamedPort[];
    /** Description. */
    readonly text: string;
}

/** A compiled rule. */
export interface CompiledRule {
    /** Index in the policy's rule list for its direction, as written. */
    readonly index: number;
    /** Action. */
    readonly action: Action;
    /** The remote side (source for ingress, destination for egress): matches if any entry matches. */
    readonly peers: readonly EntityMatch[];
    /** Condition on the endpoint the policy applies to (Calico destination for ingress, source for egress). */
    readonly local?: EntityMatch;
    /** Traffic covered. */
    readonly traffic: TrafficMatch;
    /** Set when the rule can never match in this model, with the reason. */
    readonly neverMatches?: string;
    /** Description. */
    readonly text: string;
}

/** Kinds of policy. */
export type PolicyKind = "NetworkPolicy" | "CalicoNetworkPolicy" | "GlobalNetworkPolicy";

/** A compiled policy. */
export interface CompiledPolicy {
    /** Position in evaluation order. */
    readonly id: number;
    /** Kind. */
    readonly kind: PolicyKind;
    /** Namespace (undefined for GlobalNetworkPolicy). */
    readonly namespace?: string;
    /** metadata.name. */
    readonly name: string;
    /** "NetworkPolicy shop/default-deny", "Calico NetworkPolicy shop/log", "GlobalNetworkPolicy monitoring". */
    readonly display: string;
    /** Tier. */
    readonly tier: TierInfo;
    /** Order within the tier (Infinity when unset: last). */
    readonly order: number;
    /** Tie-breaker within equal orders. */
    readonly sortKey: string;
    /** Endpoints the policy applies to. */
    readonly appliesTo: EntityMatch;
    /** Ingress rules, or undefined when the policy does not apply to ingress. */
    readonly ingress?: readonly CompiledRule[];
    /** Egress rules, or undefined when the policy does not apply to egress. */
    readonly egress?: readonly CompiledRule[];
    /** Where it is defined. */
    readonly source?: SourceLocation;
}

/** Result of compiling. */
export interface CompileResult {
    /** Policies in evaluation order (tier order, tier name, policy order, name). */
    readonly policies: readonly CompiledPolicy[];
    /** Problems that did not stop compiling. */
    readonly warnings: readonly Warning[];
}

/** Order of Kubernetes NetworkPolicies inside Calico's default tier (Calico docs, "Kubernetes policy"). */
export const KUBERNETES_POLICY_ORDER = 1000;

const ANYWHERE_TEXT = "anywhere";

function selectionText(selection: Selection, view: LabelView): string {
    const scope =
        selection.namespaces.kind === "any"
            ? ""
            : selection.namespaces.kind === "name"
              ? `namespace ${selection.namespaces.name}`
              : `namespaces ${selectorText(selection.namespaces.selector)}`;
    const own = `${view === "kubernetes" ? "pods" : "selector"} ${selectorText(selection.selector)}`;
    return scope === "" ? own : `${scope} && ${own}`;
}

/** Entity text parts, joined into the canonical description. */
function entityText(parts: {
    view: LabelView;
    select?: Selection;
    exclude?: Selection;
    netsText?: string;
    notNetsText?: string;
    serviceAccounts?: { names?: readonly string[]; selector?: Selector };
    service?: { namespace: string; name: string };
}): string {
    const words: string[] = [];
    if (parts.select) words.push(selectionText(parts.select, parts.view));
    if (parts.exclude) words.push(`not (${selectionText(parts.exclude, parts.view)})`);
    if (parts.netsText !== undefined) words.push(parts.netsText);
    if (parts.notNetsText !== undefined) words.push(parts.notNetsText);
    if (parts.serviceAccounts) {
        const names = parts.serviceAccounts.names ? ` names {${parts.serviceAccounts.names.join(", ")}}` : "";
        const selector = parts.serviceAccounts.selector ? ` selector ${selectorText(parts.serviceAccounts.selector)}` : "";
        words.push(`serviceAccounts${names}${selector}`);
    }
    if (parts.service) words.push(`service ${parts.service.namespace}/${parts.service.name}`);
    return words.length === 0 ? ANYWHERE_TEXT : words.join(" && ");
}

/** An entity with no condition: any address. */
export function anywhere(view: LabelView): EntityMatch {
    return { view, text: ANYWHERE_TEXT };
}

/** True when the entity has no condition (matches any address). */
export function isAnywhere(entity: EntityMatch): boolean {
    return (
        entity.select === undefined &&
        entity.exclude === undefined &&
        entity.nets === undefined &&
        entity.notNets === undefined &&
        entity.serviceAccounts === undefined &&
        entity.service === undefined
    );
}

class Compiler {
    readonly warnings: Warning[] = [];

    constructor(private readonly model: ClusterModel) {}

    private warn(source: SourceLocation | undefined, path: FieldPath, message: string): void {
        this.warnings.push({ source, line: lineFor(source, path), message });
    }

    private selector(text: string, source: SourceLocation | undefined, path: FieldPath): Selector {
        try {
            return parseSelector(text);
        } catch (error) {
            if (error instanceof SelectorSyntaxError) throw fieldError(source, path, `${error.message} in ${JSON.stringify(text)}`);
            throw error;
        }
    }

    /** Parses a list of CIDRs into an address set; IPv6 entries are skipped with a warning. */
    private nets(
        texts: readonly string[],
        allowBare: boolean,
        source: SourceLocation | undefined,
        path: FieldPath,
    ): Intervals {
        let set: Intervals = [];
        texts.forEach((text, index) => {
            const parsed = parseCidr(text, allowBare);
            if (typeof parsed === "string") throw fieldError(source, [...path, index], parsed);
            if (parsed.family === "ipv6") {
                this.warn(source, [...path, index], `IPv6 CIDR ${text} is not analysed (IPv4 only)`);
                return;
            }
            set = unionIntervals(set, [parsed.range[0], parsed.range[1]]);
        });
        return set;
    }

    private tier(name: string, source: SourceLocation | undefined): TierInfo {
        const tier = this.model.tiers.get(name);
        if (tier) return tier;
        this.warn(source, ["spec", "tier"], `tier ${name} is not declared; ordering it after every declared tier`);
        return { name, order: Infinity, defaultAction: "Deny" };
    }

    compile(policy: PolicyObject, id: number): CompiledPolicy | undefined {
        return policy.kind === "NetworkPolicy"
            ? this.kubernetesPolicy(policy.object, id, policy.source)
            : this.calicoPolicy(policy.object, policy.kind, id, policy.source, policy.tierFromName === true);
    }

    // ---- Kubernetes NetworkPolicy ------------------------------------------------------------------

    private kubernetesPolicy(object: NetworkPolicyObject, id: number, source: SourceLocation | undefined): CompiledPolicy {
        const spec = object.spec ?? {};
        const namespace = object.metadata.namespace ?? "default";
        const podSelector = compileLabelSelector(spec.podSelector ?? {}, source, ["spec", "podSelector"]);
        const types = new Set<string>();
        if (spec.policyTypes && spec.policyTypes.length > 0) {
            spec.policyTypes.forEach((type, index) => {
                if (type !== "Ingress" && type !== "Egress") {
                    throw fieldError(source, ["spec", "policyTypes", index], `expected Ingress or Egress, found ${JSON.stringify(type)}`);
                }
                types.add(type);
            });
        } else {
            // API server defaulting (pkg/apis/networking/v1/defaults.go): Ingress always, Egress iff egress rules exist.
            types.add("Ingress");
            if ((spec.egress ?? []).length > 0) types.add("Egress");
        }
        const select: Selection = { namespaces: { kind: "name", name: namespace }, selector: podSelector };
        const appliesTo: EntityMatch = { view: "kubernetes", select, text: entityText({ view: "kubernetes", select }) };
        return {
            id,
            kind: "NetworkPolicy",
            namespace,
            name: object.metadata.name,
            display: `NetworkPolicy ${namespace}/${object.metadata.name}`,
            tier: this.model.tiers.get("default")!,
            order: KUBERNETES_POLICY_ORDER,
            sortKey: `${namespace}/knp.default.${object.metadata.name}`,
            appliesTo,
            ingress: types.has("Ingress") ? this.kubernetesRules(spec, "ingress", namespace, source) : undefined,
            egress: types.has("Egress") ? this.kubernetesRules(spec, "egress", namespace, source) : undefined,
            source,
        };
    }

    private kubernetesRules(
        spec: NonNullable<NetworkPolicyObject["spec"]>,
        direction: Direction,
        namespace: string,
        source: SourceLocation | undefined,
    ): CompiledRule[] {
        const list =
            direction === "ingress"
                ? (spec.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
                : (spec.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
        const peerField = direction === "ingress" ? "from" : "to";
        return list.map((rule, index) => {
            const path: FieldPath = ["spec", direction, index];
            const peers =
                rule.peers && rule.peers.length > 0
                    ? rule.peers.map((peer, peerIndex) => this.kubernetesPeer(peer, namespace, source, [...path, peerField, peerIndex]))
                    : [anywhere("kubernetes")];
            const traffic = this.kubernetesPorts(rule.ports ?? [], source, [...path, "ports"]);
            const peersText = peers.length === 1 ? peers[0]!.text : peers.map((peer) => `(${peer.text})`).join(" || ");
            return { index, action: "Allow" as const, peers, traffic, text: `Allow ${peerField} ${peersText}: ${traffic.text}` };
        });
    }

    private kubernetesPeer(
        peer: NetworkPolicyPeerObject,
        namespace: string,
        source: SourceLocation | undefined,
        path: FieldPath,
    ): EntityMatch {
        const hasSelectors = peer.podSelector != null || peer.namespaceSelector != null;
        if (peer.ipBlock != null) {
            if (hasSelectors) throw fieldError(source, path, "ipBlock cannot be combined with podSelector or namespaceSelector");
            const cidr = parseCidr(peer.ipBlock.cidr);
            if (typeof cidr === "string") throw fieldError(source, [...path, "ipBlock", "cidr"], cidr);
            const except = peer.ipBlock.except ?? [];
            const exceptText = except.length > 0 ? ` except ${except.join(", ")}` : "";
            const netsText = `ipBlock ${peer.ipBlock.cidr}${exceptText}`;
            if (cidr.family === "ipv6") {
                this.warn(source, [...path, "ipBlock", "cidr"], `IPv6 CIDR ${peer.ipBlock.cidr} is not analysed (IPv4 only)`);
                return { view: "kubernetes", nets: [], text: netsText };
            }
            let nets: Intervals = [cidr.range[0], cidr.range[1]];
            except.forEach((text, index) => {
                const excluded = parseCidr(text);
                const here = [...path, "ipBlock", "except", index];
                if (typeof excluded === "string") throw fieldError(source, here, excluded);
                if (excluded.family === "ipv6" || !intervalsCover([cidr.range[0], cidr.range[1]], [excluded.range[0], excluded.range[1]])) {
                    throw fieldError(source, here, `except ${text} is not inside cidr ${peer.ipBlock!.cidr}`);
                }
                nets = subtractIntervals(nets, [excluded.range[0], excluded.range[1]]);
            });
            return { view: "kubernetes", nets, text: netsText };
        }
        if (!hasSelectors) throw fieldError(source, path, "a peer needs podSelector, namespaceSelector or ipBlock");
        const podSelector = peer.podSelector != null ? compileLabelSelector(peer.podSelector, source, [...path, "podSelector"]) : ALL;
        const namespaces: NamespaceScope =
            peer.namespaceSelector != null
                ? { kind: "selector", selector: compileLabelSelector(peer.namespaceSelector, source, [...path, "namespaceSelector"]) }
                : { kind: "name", name: namespace };
        const select: Selection = { namespaces, selector: podSelector };
        return { view: "kubernetes", select, text: entityText({ view: "kubernetes", select }) };
    }

    private kubernetesPorts(
        ports: readonly NetworkPolicyPortObject[],
        source: SourceLocation | undefined,
        path: FieldPath,
    ): TrafficMatch {
        if (ports.length === 0) return { protocols: ConnectionSet.ALL, namedPorts: [], notNamedPorts: [], text: "all traffic" };
        let numeric = ConnectionSet.NONE;
        const named: NamedPort[] = [];
        ports.forEach((item, index) => {
            const here = [...path, index];
            const protocol = item.protocol ?? "TCP";
            if (protocol !== "TCP" && protocol !== "UDP" && protocol !== "SCTP") {
                throw fieldError(source, [...here, "protocol"], `expected TCP, UDP or SCTP, found ${JSON.stringify(protocol)}`);
            }
            if (item.port == null) {
                if (item.endPort != null) throw fieldError(source, [...here, "endPort"], "endPort needs a numeric port");
                numeric = numeric.union(ConnectionSet.protocol(protocol));
                return;
            }
            if (typeof item.port === "string") {
                if (/^\d+$/.test(item.port)) {
                    throw fieldError(source, [...here, "port"], `port ${JSON.stringify(item.port)} is a string; write the number without quotes or use a port name`);
                }
                if (item.endPort != null) throw fieldError(source, [...here, "endPort"], "endPort needs a numeric port, not a named port");
                named.push({ name: item.port, protocol });
                return;
            }
            if (item.port < 1 || item.port > 65535) throw fieldError(source, [...here, "port"], `port ${item.port} is outside 1-65535`);
            const end = item.endPort ?? item.port;
            if (end < item.port || end > 65535) {
                throw fieldError(source, [...here, "endPort"], `endPort ${end} must be between port ${item.port} and 65535`);
            }
            numeric = numeric.union(ConnectionSet.ports(protocol, item.port, end));
        });
        return {
            protocols: ConnectionSet.ALL,
            ports: numeric,
            namedPorts: named,
            notNamedPorts: [],
            text: trafficText(numeric, named),
        };
    }

    // ---- Calico NetworkPolicy / GlobalNetworkPolicy ----------------------------------------------

    private calicoPolicy(
        object: CalicoPolicyObject,
        kind: "CalicoNetworkPolicy" | "GlobalNetworkPolicy",
        id: number,
        source: SourceLocation | undefined,
        tierFromName: boolean,
    ): CompiledPolicy | undefined {
        const spec = object.spec ?? {};
        const global = kind === "GlobalNetworkPolicy";
        const namespace = global ? undefined : (object.metadata.namespace ?? "default");
        const name = object.metadata.name;
        const display = global ? `GlobalNetworkPolicy ${name}` : `Calico NetworkPolicy ${namespace}/${name}`;
        if (spec.doNotTrack || spec.preDNAT) {
            this.warn(source, ["spec", spec.doNotTrack ? "doNotTrack" : "preDNAT"], `skipping ${display}: doNotTrack/preDNAT policies apply to host endpoints only`);
            return undefined;
        }
        const tier = this.tier(tierFromName ? this.tierOfV1Policy(object.metadata.name, spec.tier, display, source) : (spec.tier ?? "default"), source);
        const selector = this.selector(spec.selector ?? "all()", source, ["spec", "selector"]);
        let namespaces: NamespaceScope = namespace !== undefined ? { kind: "name", name: namespace } : { kind: "any" };
        if (global && spec.namespaceSelector != null && spec.namespaceSelector.trim() !== "") {
            namespaces = { kind: "selector", selector: this.selector(spec.namespaceSelector, source, ["spec", "namespaceSelector"]) };
        }
        const serviceAccounts =
            spec.serviceAccountSelector != null && spec.serviceAccountSelector.trim() !== ""
                ? { selector: this.selector(spec.serviceAccountSelector, source, ["spec", "serviceAccountSelector"]) }
                : undefined;
        const select: Selection = { namespaces, selector };
        const appliesTo: EntityMatch = {
            view: "calico",
            select,
            serviceAccounts,
            text: entityText({ view: "calico", select, serviceAccounts }),
        };
        const ingressRules = spec.ingress ?? [];
        const egressRules = spec.egress ?? [];
        const types = new Set<string>();
        if (spec.types && spec.types.length > 0) {
            spec.types.forEach((type, index) => {
                if (type !== "Ingress" && type !== "Egress") {
                    throw fieldError(source, ["spec", "types", index], `expected Ingress or Egress, found ${JSON.stringify(type)}`);
                }
                types.add(type);
            });
        } else if (tierFromName) {
            // crd.projectcalico.org/v1 is not defaulted (only clientv3 Create/Update call defaultPolicyTypesField), and
            // Felix reads empty types as both directions (felix/calc/policy_sorter.go ExtractPolicyMetadata, 3.29-3.31).
            types.add("Ingress");
            types.add("Egress");
        } else {
            // Calico v3 defaulting: Ingress when ingress rules exist or no egress rules do; Egress when egress rules exist.
            if (ingressRules.length > 0 || egressRules.length === 0) types.add("Ingress");
            if (egressRules.length > 0) types.add("Egress");
        }
        return {
            id,
            kind,
            namespace,
            name,
            display,
            tier,
            order: spec.order ?? Infinity,
            sortKey: namespace !== undefined ? `${namespace}/${name}` : name,
            appliesTo,
            ingress: types.has("Ingress")
                ? ingressRules.map((rule, index) => this.calicoRule(rule, "ingress", namespace, source, ["spec", "ingress", index], index))
                : undefined,
            egress: types.has("Egress")
                ? egressRules.map((rule, index) => this.calicoRule(rule, "egress", namespace, source, ["spec", "egress", index], index))
                : undefined,
            source,
        };
    }

    /**
     * Felix 3.29-3.31 takes a crd.projectcalico.org/v1 policy's tier from its name and ignores spec.tier
     * (libcalico-go lib/names/policy.go TierFromPolicyName, called by syncersv1/updateprocessors/networkpolicyprocessor.go).
     */
    private tierOfV1Policy(name: string, declared: string | undefined, display: string, source: SourceLocation | undefined): string {
        const dot = name.indexOf(".");
        const fromName = dot < 0 ? "default" : name.slice(0, dot);
        if (declared !== undefined && declared !== fromName) {
            this.warn(source, ["spec", "tier"], `${display}: Felix reads the tier of a crd.projectcalico.org/v1 policy from its name (${fromName}), not spec.tier (${declared})`);
        }
        return fromName;
    }

    private calicoRule(
        rule: CalicoRuleObject,
        direction: Direction,
        namespace: string | undefined,
        source: SourceLocation | undefined,
        path: FieldPath,
        index: number,
    ): CompiledRule {
        const action = (["Allow", "Deny", "Log", "Pass"] as const).find((name) => name.toLowerCase() === rule.action.toLowerCase());
        if (action === undefined) {
            throw fieldError(source, [...path, "action"], `expected Allow, Deny, Log or Pass, found ${JSON.stringify(rule.action)}`);
        }
        let neverMatches: string | undefined;
        const protocol = rule.protocol != null ? calicoProtocol(rule.protocol, source, [...path, "protocol"]) : undefined;
        let protocols = protocol !== undefined ? ConnectionSet.protocolNumber(protocol.number) : ConnectionSet.ALL;
        if (rule.notProtocol != null) {
            protocols = protocols.subtract(ConnectionSet.protocolNumber(calicoProtocol(rule.notProtocol, source, [...path, "notProtocol"]).number));
        }
        if (rule.ipVersion != null) {
            if (rule.ipVersion === 6) neverMatches = "ipVersion 6: the cluster is analysed as IPv4 only";
            else if (rule.ipVersion !== 4) throw fieldError(source, [...path, "ipVersion"], `expected 4 or 6, found ${rule.ipVersion}`);
        }
        if (rule.icmp != null || rule.notICMP != null) {
            this.warn(source, [...path, rule.icmp != null ? "icmp" : "notICMP"], "ICMP type/code matching is not modelled; the rule is treated as covering all ICMP");
        }
        if (rule.http != null) {
            this.warn(source, [...path, "http"], "HTTP matching is not modelled; the rule is treated as covering all traffic on its ports");
        }
        const sourceEntity = rule.source ?? {};
        const destinationEntity = rule.destination ?? {};
        if ((sourceEntity.ports ?? []).length > 0) {
            // Clients pick ephemeral source ports, so a source-port condition cannot be judged for a connection.
            neverMatches ??= "source.ports: client source ports are ephemeral and unknown; the rule is assumed not to match";
            this.warn(source, [...path, "source", "ports"], neverMatches);
        }
        if ((sourceEntity.notPorts ?? []).length > 0) {
            this.warn(source, [...path, "source", "notPorts"], "source.notPorts is not modelled; the rule is treated as if it were absent");
        }
        const remoteField = direction === "ingress" ? "source" : "destination";
        const localField = direction === "ingress" ? "destination" : "source";
        const remote = this.calicoEntity(direction === "ingress" ? sourceEntity : destinationEntity, namespace, source, [...path, remoteField]);
        const localEntity = this.calicoEntity(direction === "ingress" ? destinationEntity : sourceEntity, namespace, source, [...path, localField]);
        const local = isAnywhere(localEntity) ? undefined : localEntity;
        const traffic = this.calicoPorts(destinationEntity, protocols, protocol?.portProtocol, source, [...path, "destination"]);
        const localText = local ? ` when ${localField} is ${local.text}` : "";
        const peerWord = direction === "ingress" ? "from" : "to";
        return {
            index,
            action,
            peers: [remote],
            local,
            traffic,
            neverMatches,
            text: `${action} ${peerWord} ${remote.text}${localText}: ${traffic.text}`,
        };
    }

    private calicoEntity(
        entity: CalicoEntityObject,
        namespace: string | undefined,
        source: SourceLocation | undefined,
        path: FieldPath,
    ): EntityMatch {
        const namespaceSelector = isPresent(entity.namespaceSelector)
            ? this.selector(entity.namespaceSelector, source, [...path, "namespaceSelector"])
            : undefined;
        // In a namespaced policy, selectors without namespaceSelector stay in the policy's namespace.
        const namespaces: NamespaceScope = namespaceSelector
            ? { kind: "selector", selector: namespaceSelector }
            : namespace !== undefined
              ? { kind: "name", name: namespace }
              : { kind: "any" };
        const selector = isPresent(entity.selector) ? this.selector(entity.selector, source, [...path, "selector"]) : undefined;
        const notSelector = isPresent(entity.notSelector) ? this.selector(entity.notSelector, source, [...path, "notSelector"]) : undefined;
        const serviceAccounts =
            entity.serviceAccounts != null
                ? {
                      names: entity.serviceAccounts.names && entity.serviceAccounts.names.length > 0 ? [...entity.serviceAccounts.names] : undefined,
                      selector: isPresent(entity.serviceAccounts.selector)
                          ? this.selector(entity.serviceAccounts.selector, source, [...path, "serviceAccounts", "selector"])
                          : undefined,
                  }
                : undefined;
        // libcalico-go (updateprocessors/rules.go, getEndpointSelector, Calico 3.29-3.31): the rule's endpoint
        // selector is scoped to the policy's namespace (or the namespaceSelector's) as soon as any selector field
        // is used, notSelector included; a scoped selector matches only endpoints and network sets, never other
        // addresses. Only in a global policy does a lone notSelector leave every address but the excluded ones.
        const scoped = namespaces.kind !== "any";
        const select: Selection | undefined =
            selector !== undefined || namespaceSelector !== undefined || serviceAccounts !== undefined || (notSelector !== undefined && scoped)
                ? { namespaces, selector: selector ?? ALL }
                : undefined;
        const exclude: Selection | undefined = notSelector !== undefined ? { namespaces, selector: notSelector } : undefined;
        const nets = entity.nets != null && entity.nets.length > 0 ? this.nets(entity.nets, true, source, [...path, "nets"]) : undefined;
        const notNets =
            entity.notNets != null && entity.notNets.length > 0 ? this.nets(entity.notNets, true, source, [...path, "notNets"]) : undefined;
        // Felix uses services.namespace as written: updateprocessors/rules.go does not default it to the policy's
        // namespace (3.29-3.31), and the Service "/<name>" never exists, so such a rule matches nothing.
        if (entity.services != null && !isPresent(entity.services.namespace)) {
            this.warn(source, [...path, "services", "namespace"], `services ${entity.services.name} has no namespace: Calico does not default it to the policy's namespace, so the rule matches nothing`);
        }
        const service =
            entity.services != null
                ? { name: entity.services.name, namespace: entity.services.namespace ?? "" }
                : undefined;
        const text = entityText({
            view: "calico",
            select,
            exclude,
            netsText: nets !== undefined ? `nets ${entity.nets!.join(", ")}` : undefined,
            notNetsText: notNets !== undefined ? `notNets ${entity.notNets!.join(", ")}` : undefined,
            serviceAccounts,
            service,
        });
        return { view: "calico", select, exclude, nets, notNets, serviceAccounts, service, text };
    }

    private calicoPortList(
        destination: CalicoEntityObject,
        field: "ports" | "notPorts",
        portProtocol: PortProtocol | undefined,
        source: SourceLocation | undefined,
        path: FieldPath,
    ): { numeric: ConnectionSet; named: NamedPort[] } | undefined {
        const entries = destination[field] ?? [];
        if (entries.length === 0) return undefined;
        if (portProtocol === undefined) {
            throw fieldError(source, [...path, field], `${field} need protocol TCP, UDP or SCTP on the rule`);
        }
        let numeric = ConnectionSet.NONE;
        const named: NamedPort[] = [];
        entries.forEach((entry, index) => {
            const here = [...path, field, index];
            const text = String(entry).trim();
            const range = /^(\d+)(?::(\d+))?$/.exec(text);
            if (range) {
                const lo = Number(range[1]);
                const hi = range[2] === undefined ? lo : Number(range[2]);
                if (hi < lo || hi > 65535) throw fieldError(source, here, `port range ${text} must be within 0-65535 and not end before it starts`);
                numeric = numeric.union(ConnectionSet.ports(portProtocol, lo, hi));
            } else if (typeof entry === "string" && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(text)) {
                named.push({ name: text, protocol: portProtocol });
            } else {
                throw fieldError(source, here, `expected a port, a range like 8080:8090 or a port name, found ${JSON.stringify(entry)}`);
            }
        });
        return { numeric, named };
    }

    private calicoPorts(
        destination: CalicoEntityObject,
        protocols: ConnectionSet,
        portProtocol: PortProtocol | undefined,
        source: SourceLocation | undefined,
        path: FieldPath,
    ): TrafficMatch {
        const ports = this.calicoPortList(destination, "ports", portProtocol, source, path);
        const notPorts = this.calicoPortList(destination, "notPorts", portProtocol, source, path);
        const words: string[] = [];
        words.push(protocols.isAll() ? "all protocols" : protocols.format());
        if (ports) words.push(`ports ${trafficText(ports.numeric, ports.named)}`);
        if (notPorts) words.push(`notPorts ${trafficText(notPorts.numeric, notPorts.named)}`);
        return {
            protocols,
            ports: ports?.numeric,
            namedPorts: ports?.named ?? [],
            notPorts: notPorts?.numeric,
            notNamedPorts: notPorts?.named ?? [],
            text: words.join(" "),
        };
    }
}

function isPresent(text: string | null | undefined): text is string {
    return text != null && text.trim() !== "";
}

function trafficText(numeric: ConnectionSet, named: readonly NamedPort[]): string {
    const parts: string[] = [];
    if (!numeric.isEmpty()) parts.push(numeric.format());
    for (const port of named) parts.push(`${port.protocol} port named ${port.name}`);
    return parts.join(",");
}

const PROTOCOL_BY_NAME: ReadonlyMap<string, number> = new Map([
    ["TCP", 6],
    ["UDP", 17],
    ["SCTP", 132],
    ["ICMP", 1],
    ["ICMPV6", 58],
    ["UDPLITE", 136],
]);

function calicoProtocol(
    value: string | number,
    source: SourceLocation | undefined,
    path: FieldPath,
): { number: number; portProtocol?: PortProtocol } {
    let number: number | undefined;
    if (typeof value === "number") number = value;
    else if (/^\d+$/.test(value.trim())) number = Number(value.trim());
    else number = PROTOCOL_BY_NAME.get(value.trim().toUpperCase());
    if (number === undefined || number < 0 || number > 255) {
        throw fieldError(source, path, `expected TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a number 0-255, found ${JSON.stringify(value)}`);
    }
    const portProtocol: PortProtocol | undefined = number === 6 ? "TCP" : number === 17 ? "UDP" : number === 132 ? "SCTP" : undefined;
    return { number, portProtocol };
}

function compareNumbers(a: number, b: number): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Compiles every policy of the model, with API defaults applied, sorted into Calico evaluation order. */
export function compilePolicies(model: ClusterModel): CompileResult {
    const compiler = new Compiler(model);
    const compiled: CompiledPolicy[] = [];
    model.policies.forEach((policy, index) => {
        const result = compiler.compile(policy, index);
        if (result) compiled.push(result);
    });
    compiled.sort(
        (a, b) =>
            compareNumbers(a.tier.order, b.tier.order) ||
            compareKeys(a.tier.name, b.tier.name) ||
            compareNumbers(a.order, b.order) ||
            compareKeys(a.sortKey, b.sortKey),
    );
    const policies = compiled.map((policy, id) => ({ ...policy, id }));
    return { policies, warnings: compiler.warnings };
}

function orderText(order: number): string {
    return Number.isFinite(order) ? String(order) : "unset (last)";
}

/** Prints a compiled policy: where it applies, and its rules per direction, in evaluation terms. */
export function formatPolicy(policy: CompiledPolicy): string {
    const where = policy.source ? `  (${policy.source.file}${policy.source.line ? `:${policy.source.line}` : ""})` : "";
    const lines = [
        `${policy.display}  [tier ${policy.tier.name} order ${orderText(policy.tier.order)}, policy order ${orderText(policy.order)}]${where}`,
        `  applies to: ${policy.appliesTo.text}`,
    ];
    for (const direction of ["ingress", "egress"] as const) {
        const rules = policy[direction];
        if (rules === undefined) {
            lines.push(`  ${direction}: not applied`);
            continue;
        }
        lines.push(`  ${direction}:${rules.length === 0 ? " no rules (selected endpoints are isolated)" : ""}`);
        for (const rule of rules) {
            const never = rule.neverMatches ? `  [never matches: ${rule.neverMatches}]` : "";
            lines.push(`    [${rule.index}] ${rule.text}${never}`);
        }
    }
    return lines.join("\n");
}
