import {
    CalicoEntity,
    CalicoRule,
    calicoGlobalNetworkPolicy,
    calicoLabelSelector,
    calicoNamespaceSelector,
    calicoNetworkPolicy,
    KubeObject,
    MANAGED_BY_LABELS,
} from "./calicoApi";
import { parseIpv4Block, contains } from "./cidr";
import { ProblemList } from "./errors";
import { SYSTEM_NAMESPACES } from "./systemNamespaces";
import type { CidrAllowance, FqdnAllowance } from "./firewallRules";
import {
    comparePorts,
    EgressIntent,
    ExternalIngress,
    InfrastructureIntent,
    NamespaceIntent,
    PortSpec,
    portKey,
    PRIVATE_RANGES,
    AZURE_PLATFORM_ADDRESS,
    SHARED_ADDRESS_SPACE,
    SEGMENTATION_PATH,
    SegmentationIntent,
    UNDECLARED_NAMESPACE,
    WorkloadIntent,
} from "./intent";

/** ADR 008: "Goal: <10 policies per namespace, <20 global policies". */
export const NAMESPACE_POLICY_BUDGET = 10;
export const GLOBAL_POLICY_BUDGET = 20;

/** Label on every app namespace with a policy set; infrastructure policies select namespaces by it. */
export const POLICY_SET_LABEL = "aks-zero-trust.io/policy-set";
/** Label carrying the namespace's rollout mode. */
export const MODE_LABEL = "aks-zero-trust.io/mode";

/**
 * Calico orders, all in the default tier: infrastructure and peer allowances first, then API access and the
 * API-server deny, then Kubernetes policies (1000, Calico docs "Kubernetes policy"), then the namespace's
 * denied-flow logger, then the cluster baseline. Lower orders decide first; Allow and Deny end evaluation.
 */
export const ORDER_INFRASTRUCTURE = 100;
export const ORDER_KUBERNETES_API = 500;
export const ORDER_DENY_KUBERNETES_API = 600;
export const ORDER_LOG_DENIED = 2000;
export const ORDER_BASELINE = 3000;

/** The cluster-wide GlobalNetworkPolicy that isolates every pod outside the system namespaces. */
export const BASELINE_POLICY = "zero-trust-baseline";

/**
 * Policies whose verdict follows the rollout mode: their last rule is `Allow` (audit) or `Deny` (enforce) after a
 * `Log`, or, for the API-server deny, a lone `Log` in audit. The intent check evaluates them as enforce would.
 */
export const MODE_DEPENDENT_POLICIES = ["deny-kubernetes-api", "log-denied", BASELINE_POLICY] as const;

/**
 * Calico service match on the API server: "endpoint addresses and ports ... are automatically detected from the
 * service" (Calico docs, "Use service rules in policy"), so it follows the API server wherever AKS puts it.
 * Felix 3.29-3.31 fill the rule's IP set with each EndpointSlice address and port of default/kubernetes
 * (felix/serviceindex/serviceindex.go membersFromEndpointSlice; the ClusterIP is not in it). A pod dialling
 * the ClusterIP (10.x.0.1:443) still matches: kube-proxy DNATs in nat PREROUTING, before Felix's filter FORWARD
 * chains see the packet. A pod dialling the API server's FQDN matches too: on a public cluster that endpoint is
 * the API server's public address (the AKS egress docs read "the IP address of API server endpoint" from
 * `kubectl get endpoints kubernetes`), on a private one its private endpoint. The namespace is always set:
 * Calico does not default it (updateprocessors/rules.go).
 */
const KUBERNETES_API: CalicoEntity = { services: { name: "kubernetes", namespace: "default" } };

/** AKS LocalDNS listeners: 169.254.10.11 for pods (ClusterFirst), 169.254.10.10 for the node (AgentBaker localdns.sh). */
export const LOCAL_DNS_ADDRESSES = ["169.254.10.10/32", "169.254.10.11/32"];


/** The policy set of one app namespace. */
export interface NamespacePolicySetPlan {
    readonly namespace: string;
    readonly mode: "audit" | "enforce";
    /** The Namespace object. */
    readonly namespaceObject: KubeObject;
    /** Allow policies, applied before the deny ones. */
    readonly allowPolicies: readonly KubeObject[];
    /** The denied-flow logger, then the default deny: applied last, in this order, each after the one before. */
    readonly denyPolicies: readonly KubeObject[];
}

/** Everything the east-west intent renders to. */
export interface RenderedSegmentation {
    readonly namespaces: readonly NamespacePolicySetPlan[];
    readonly globalPolicies: readonly KubeObject[];
    /** FQDNs the firewall must allow for workloads and infrastructure. */
    readonly firewallFqdns: readonly FqdnAllowance[];
    /** Address ranges outside the VNet and cluster that the firewall must allow. */
    readonly firewallCidrs: readonly CidrAllowance[];
}

/** Number of policies a namespace set holds (the Namespace object is not a policy). */
export function policyCount(set: NamespacePolicySetPlan): number {
    return set.allowPolicies.length + set.denyPolicies.length;
}

/**
 * Renders the whole intent. Pure and deterministic: same intent, same objects, same order.
 * Throws ConfigError when the rendered policies exceed ADR 008's budgets (counted on what is rendered).
 */
export function renderSegmentation(intent: SegmentationIntent): RenderedSegmentation {
    const rendered: RenderedSegmentation = {
        namespaces: intent.namespaces.map((namespace) => renderNamespacePolicies(namespace, intent)),
        globalPolicies: renderGlobalPolicies(intent),
        firewallFqdns: firewallFqdnAllowances(intent),
        firewallCidrs: firewallCidrAllowances(intent),
    };
    const problems = new ProblemList();
    checkPolicyBudgets(intent, rendered, problems);
    problems.throwIfAny();
    return rendered;
}

/** ADR 008's budgets, checked on the rendered policies so that the count is the real one. */
function checkPolicyBudgets(intent: SegmentationIntent, rendered: RenderedSegmentation, problems: ProblemList): void {
    rendered.namespaces.forEach((set) => {
        const count = policyCount(set);
        if (count > NAMESPACE_POLICY_BUDGET) {
            problems.add(
                `${SEGMENTATION_PATH}.namespaces[${intent.namespaces.findIndex((ns) => ns.name === set.namespace)}]`,
                `namespace ${set.namespace} needs ${count} policies, over the ADR 008 budget of ${NAMESPACE_POLICY_BUDGET}; give workloads that share flows one label set, or split the namespace`,
            );
        }
    });
    if (rendered.globalPolicies.length > GLOBAL_POLICY_BUDGET) {
        problems.add(`${SEGMENTATION_PATH}.infrastructure`, `the infrastructure needs ${rendered.globalPolicies.length} global policies, over the ADR 008 budget of ${GLOBAL_POLICY_BUDGET}`);
    }
}

/** The cluster-wide Calico policies: infrastructure and peer allowances, then the baseline. */
function renderGlobalPolicies(intent: SegmentationIntent): KubeObject[] {
    return [...renderInfrastructurePolicies(intent), ...renderPeerPolicies(intent), renderBaselinePolicy(intent)];
}

/**
 * Zero trust for every namespace, declared or not: every pod outside the system namespaces is isolated both
 * ways, DNS excepted. Ordered after everything else in the default tier, it decides only what no earlier policy
 * did: app namespaces' `log-denied` (order 2000) already decides all their traffic, so in practice it governs
 * undeclared namespaces, peers beyond their allowances, and infrastructure pods outside their podLabels. Follows
 * the stack's default mode: Log then Deny (enforce) or Log then Allow (audit).
 */
// Kubelet probes keep working under the baseline: Felix does not police traffic from a node to its own pods
// (felix/rules/static.go filterOutputChain returns packets leaving by a workload interface, 3.29-3.31), and the
// pod's replies are conntrack-established. Node-to-pod traffic from other nodes and from the VNet is policed.
// `selector: all()` with a namespaceSelector becomes `has(projectcalico.org/namespace) && pcns....` in Felix
// (updateprocessors/globalnetworkpolicyprocessor.go), so host endpoints are never selected.
export function renderBaselinePolicy(intent: SegmentationIntent): KubeObject {
    const verdict: CalicoRule = { action: intent.defaultMode === "enforce" ? "Deny" : "Allow" };
    return calicoGlobalNetworkPolicy(BASELINE_POLICY, {
        order: ORDER_BASELINE,
        // The system namespaces are AKS's (core/systemNamespaces.ts); a GlobalNetworkPolicy with a namespaceSelector selects pods only.
        namespaceSelector: `${NAMESPACE_NAME} not in {${SYSTEM_NAMESPACES.map((name) => `'${name}'`).join(", ")}}`,
        selector: "all()",
        types: ["Ingress", "Egress"],
        ingress: [{ action: "Log" }, verdict],
        egress: [...dnsRules(intent), { action: "Log" }, verdict],
    });
}

/** Calico's namespace-name label (REFERENCE.md section 3). */
const NAMESPACE_NAME = "projectcalico.org/name";

/** DNS to CoreDNS (and the LocalDNS listeners when on), one Allow rule per protocol. */
function dnsRules(intent: SegmentationIntent): CalicoRule[] {
    const rules: CalicoRule[] = [];
    const dns: CalicoEntity = { namespaceSelector: calicoNamespaceSelector("kube-system"), selector: "k8s-app == 'kube-dns'", ports: [53] };
    rules.push({ action: "Allow", protocol: "UDP", destination: dns }, { action: "Allow", protocol: "TCP", destination: dns });
    if (intent.cluster.localDns) {
        const local: CalicoEntity = { nets: LOCAL_DNS_ADDRESSES, ports: [53] };
        rules.push({ action: "Allow", protocol: "UDP", destination: local }, { action: "Allow", protocol: "TCP", destination: local });
    }
    return rules;
}

/**
 * Peers (ingress controller, cert-manager): namespaces the platform needs but the app does not own. Their pods
 * may reach the app workloads that accept them (`ingressFrom` naming the peer) on those ports, DNS and their own
 * egress allowlist, and be reached from their declared sources. Everything else falls to the baseline.
 */
export function renderPeerPolicies(intent: SegmentationIntent): KubeObject[] {
    return intent.peers.map((peer) => {
        const ingress: CalicoRule[] = [];
        for (const source of peer.ingressFrom) {
            ingress.push(...portRules(source.ports, (ports) => ({ source: calicoSource(source), destination: { ports } })));
        }
        const egress: CalicoRule[] = [...dnsRules(intent)];
        for (const workload of intent.namespaces.flatMap((namespace) => namespace.workloads)) {
            for (const entry of workload.ingressFrom) {
                if (entry.namespace !== peer.name) continue;
                if (entry.podLabels && peer.podLabels && !Object.entries(entry.podLabels).every(([key, value]) => peer.podLabels![key] === value)) continue;
                egress.push(...portRules(entry.ports, (ports) => ({ destination: { namespaceSelector: calicoNamespaceSelector(workload.namespace), selector: calicoLabelSelector(workload.labels), ports } })));
            }
        }
        egress.push(...egressAllowlistRules(peer.egress, intent));
        return calicoGlobalNetworkPolicy(`peer-${peer.name}`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(peer.name),
            selector: calicoLabelSelector(peer.podLabels),
            types: ["Ingress", "Egress"],
            ingress,
            egress,
        });
    });
}

/** A Calico source for an ingress entry: a range, or pods of a namespace. */
function calicoSource(source: ExternalIngress): CalicoEntity {
    if (source.cidr !== undefined) return { nets: [source.cidr] };
    return { namespaceSelector: calicoNamespaceSelector(source.namespace!), selector: calicoLabelSelector(source.podLabels) };
}

/** CIDR, internet and API-server allowances of an egress allowlist, as Calico rules. */
function egressAllowlistRules(egress: EgressIntent, intent: SegmentationIntent): CalicoRule[] {
    const rules: CalicoRule[] = [];
    for (const entry of egress.cidrs) {
        rules.push(...portRules(entry.ports, (ports) => ({ destination: { nets: [entry.cidr], ports } })));
    }
    const internetPorts = internetPortsOf(egress);
    if (internetPorts.length > 0) {
        rules.push(...portRules(internetPorts, (ports) => ({ destination: { nets: ["0.0.0.0/0"], notNets: nonInternetRanges(intent), ports } })));
    }
    if (egress.kubernetesApi) {
        rules.push({ action: "Allow", destination: KUBERNETES_API });
    }
    return rules;
}

/** The policy set of one app namespace. */
export function renderNamespacePolicies(namespace: NamespaceIntent, intent: SegmentationIntent): NamespacePolicySetPlan {
    const name = namespace.name;
    const namespaceObject: KubeObject = {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { ...namespace.labels, ...MANAGED_BY_LABELS, [POLICY_SET_LABEL]: "enabled", [MODE_LABEL]: namespace.mode } },
    };
    const allowPolicies: KubeObject[] = [networkPolicy("allow-dns", name, { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgressRule(intent)] })];
    for (const workload of namespace.workloads) {
        const policy = workloadPolicy(workload, intent);
        if (policy) allowPolicies.push(policy);
    }
    const apiClients = namespace.workloads.filter((workload) => workload.egress.kubernetesApi);
    if (apiClients.length > 0) {
        allowPolicies.push(calicoNetworkPolicy("allow-kubernetes-api", name, {
            order: ORDER_KUBERNETES_API,
            selector: apiClients.map((workload) => `(${calicoLabelSelector(workload.labels)})`).join(" || "),
            types: ["Egress"],
            egress: [{ action: "Allow", destination: KUBERNETES_API }],
        }));
    }
    // Before the Kubernetes allows: an internet allowance (0.0.0.0/0 minus private ranges) would otherwise reach a
    // public API server, which the firewall passes for AKS. In audit mode the attempt is only logged.
    allowPolicies.push(calicoNetworkPolicy("deny-kubernetes-api", name, {
        order: ORDER_DENY_KUBERNETES_API,
        selector: "all()",
        types: ["Egress"],
        egress: [{ action: "Log", destination: KUBERNETES_API }, ...(namespace.mode === "enforce" ? [{ action: "Deny" as const, destination: KUBERNETES_API }] : [])],
    }));
    for (const override of namespace.overrides) {
        allowPolicies.push({ apiVersion: override.apiVersion, kind: override.kind, metadata: { name: override.metadata.name, namespace: name, labels: { ...override.metadata.labels, ...MANAGED_BY_LABELS } }, spec: { ...override.spec } });
    }
    // Applied in this order, each after the one before: in audit mode a `default-deny-all` without its
    // `log-denied` (Log, then Allow) would enforce silently, so the logger exists first and is deleted last.
    const denyPolicies: KubeObject[] = [
        logDeniedPolicy(name, namespace.mode),
        networkPolicy("default-deny-all", name, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    ];
    return { namespace: name, mode: namespace.mode, namespaceObject, allowPolicies, denyPolicies };
}

/**
 * After the Kubernetes policies (order 1000), whatever they did not allow reaches this policy:
 * it is logged (iptables LOG, prefix `calico-packet`), then denied in enforce mode or allowed in audit
 * mode. Audit therefore shows what enforcement would block without blocking it.
 */
function logDeniedPolicy(namespace: string, mode: "audit" | "enforce"): KubeObject {
    const verdict: CalicoRule = { action: mode === "enforce" ? "Deny" : "Allow" };
    const rules: CalicoRule[] = [{ action: "Log" }, verdict];
    return calicoNetworkPolicy("log-denied", namespace, { order: ORDER_LOG_DENIED, selector: "all()", types: ["Ingress", "Egress"], ingress: rules, egress: rules });
}

function networkPolicy(name: string, namespace: string, spec: Record<string, unknown>): KubeObject {
    return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace, labels: { ...MANAGED_BY_LABELS } }, spec };
}

function dnsEgressRule(intent: SegmentationIntent): Record<string, unknown> {
    const to: Record<string, unknown>[] = [{
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    }];
    if (intent.cluster.localDns) {
        to.push(...LOCAL_DNS_ADDRESSES.map((cidr) => ({ ipBlock: { cidr } })));
    }
    return { to, ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] };
}

/** One policy per workload holding both its ingress (server side) and egress (client side) allows. */
function workloadPolicy(workload: WorkloadIntent, intent: SegmentationIntent): KubeObject | undefined {
    const ingress = new RuleMerger();
    const egress = new RuleMerger();
    for (const flow of intent.flows) {
        if (flow.to.namespace === workload.namespace && flow.to.workload === workload.name) {
            const client = findWorkload(intent, flow.from.namespace, flow.from.workload);
            ingress.add(workloadPeer(client, workload.namespace), flow.ports);
        }
        if (flow.from.namespace === workload.namespace && flow.from.workload === workload.name) {
            const server = findWorkload(intent, flow.to.namespace, flow.to.workload);
            egress.add(workloadPeer(server, workload.namespace), flow.ports);
        }
    }
    for (const source of workload.ingressFrom) {
        if (source.cidr !== undefined) {
            ingress.add({ ipBlock: { cidr: source.cidr } }, source.ports);
        } else {
            const peer: Record<string, unknown> = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": source.namespace ?? workload.namespace } } };
            if (source.podLabels) peer.podSelector = { matchLabels: sortedLabels(source.podLabels) };
            ingress.add(peer, source.ports);
        }
    }
    addEgressAllowlist(egress, workload.egress, intent);
    if (ingress.isEmpty && egress.isEmpty) {
        return undefined;
    }
    const policyTypes = [...(ingress.isEmpty ? [] : ["Ingress"]), ...(egress.isEmpty ? [] : ["Egress"])];
    const spec: Record<string, unknown> = { podSelector: { matchLabels: sortedLabels(workload.labels) }, policyTypes };
    if (!ingress.isEmpty) spec.ingress = ingress.rules("from");
    if (!egress.isEmpty) spec.egress = egress.rules("to");
    return networkPolicy(`workload-${workload.name}`, workload.namespace, spec);
}

function addEgressAllowlist(egress: RuleMerger, allowlist: EgressIntent, intent: SegmentationIntent): void {
    for (const entry of allowlist.cidrs) {
        egress.add({ ipBlock: { cidr: entry.cidr } }, entry.ports);
    }
    const internetPorts = internetPortsOf(allowlist);
    if (internetPorts.length > 0) {
        // The firewall filters by FQDN; inside the cluster we only open public addresses on these ports, for this workload.
        egress.add({ ipBlock: { cidr: "0.0.0.0/0", except: nonInternetRanges(intent) } }, internetPorts);
    }
}

function internetPortsOf(allowlist: EgressIntent): PortSpec[] {
    const ports = new Map<string, PortSpec>();
    for (const entry of allowlist.fqdns) {
        for (const port of entry.ports) {
            const spec: PortSpec = { protocol: "TCP", port };
            ports.set(portKey(spec), spec);
        }
    }
    return [...ports.values()].sort(comparePorts);
}

/** Private, link-local, shared, platform and cluster ranges: never "the internet". Nested ranges are dropped. */
export function nonInternetRanges(intent: SegmentationIntent): string[] {
    const candidates = [...PRIVATE_RANGES, SHARED_ADDRESS_SPACE, AZURE_PLATFORM_ADDRESS, intent.cluster.podCidr, intent.cluster.serviceCidr, intent.cluster.vnetCidr];
    const blocks = [...new Set(candidates)].map(parseIpv4Block);
    const outermost = blocks.filter((block) => !blocks.some((other) => other !== block && contains(other, block) && !(other.first === block.first && other.last === block.last)));
    return outermost.sort((a, b) => a.first - b.first).map((block) => block.cidr);
}

function workloadPeer(peer: WorkloadIntent, policyNamespace: string): Record<string, unknown> {
    const podSelector = { matchLabels: sortedLabels(peer.labels) };
    return peer.namespace === policyNamespace
        ? { podSelector }
        : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } }, podSelector };
}

function findWorkload(intent: SegmentationIntent, namespace: string, name: string): WorkloadIntent {
    const found = intent.namespaces.find((ns) => ns.name === namespace)?.workloads.find((workload) => workload.name === name);
    if (!found) {
        throw new Error(`intent refers to unknown workload ${namespace}/${name}; validateIntent should have rejected it`);
    }
    return found;
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** Merges rules by peer: one rule per peer with all of its ports, rules sorted by peer. */
class RuleMerger {
    private readonly byPeer = new Map<string, { peer: Record<string, unknown>; ports: Map<string, PortSpec> }>();

    get isEmpty(): boolean {
        return this.byPeer.size === 0;
    }

    add(peer: Record<string, unknown>, ports: readonly PortSpec[]): void {
        const key = JSON.stringify(peer);
        const entry = this.byPeer.get(key) ?? { peer, ports: new Map<string, PortSpec>() };
        ports.forEach((port) => entry.ports.set(portKey(port), port));
        this.byPeer.set(key, entry);
    }

    rules(direction: "from" | "to"): Record<string, unknown>[] {
        return [...this.byPeer.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([, entry]) => ({
                [direction]: [entry.peer],
                ports: [...entry.ports.values()].sort(comparePorts).map((port) => (port.endPort !== undefined ? { protocol: port.protocol, port: port.port, endPort: port.endPort } : { protocol: port.protocol, port: port.port })),
            }));
    }
}

/**
 * Calico global policies for infrastructure namespaces (ADR 008, layer 5), ordered before the namespace
 * policies. They select app namespaces by the policy-set label and infrastructure pods by namespace name,
 * so system namespaces and AKS's own `aaa-allow-konnectivity-agent` are never selected or overridden.
 */
export function renderInfrastructurePolicies(intent: SegmentationIntent): KubeObject[] {
    const appNamespaces = `${POLICY_SET_LABEL} == 'enabled'`;
    const policies: KubeObject[] = [];
    for (const infra of intent.infrastructure) {
        const infraPods = calicoLabelSelector(infra.podLabels);
        if (infra.podPorts.length > 0) {
            policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-ingress`, {
                order: ORDER_INFRASTRUCTURE,
                namespaceSelector: appNamespaces,
                selector: "all()",
                types: ["Ingress"],
                ingress: portRules(infra.podPorts, (ports) => ({ source: { namespaceSelector: calicoNamespaceSelector(infra.name), selector: infraPods }, destination: { ports } })),
            }));
        }
        // Infrastructure is always enforced, whatever the mode: what its allowlist does not name is logged and
        // denied here, before the baseline (order 3000) could let it through in audit mode.
        policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-egress`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(infra.name),
            selector: infraPods,
            types: ["Egress"],
            egress: [...infrastructureEgressRules(infra, intent, appNamespaces), { action: "Log" }, { action: "Deny" }],
        }));
        // Isolated on ingress too: only the declared sources reach any pod of the namespace.
        const accepted: CalicoRule[] = infra.ingressFrom.flatMap((source) => portRules(source.ports, (ports) => ({ source: calicoSource(source), destination: { ports } })));
        policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-accept`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(infra.name),
            selector: "all()",
            types: ["Ingress"],
            ingress: [...accepted, { action: "Log" }, { action: "Deny" }],
        }));
    }
    return policies;
}

/** Infrastructure pods' egress allowlist: DNS, the app pods' declared ports, their sinks, and the API server. */
function infrastructureEgressRules(infra: InfrastructureIntent, intent: SegmentationIntent, appNamespaces: string): CalicoRule[] {
    return [
        ...dnsRules(intent),
        ...portRules(infra.podPorts, (ports) => ({ destination: { namespaceSelector: appNamespaces, ports } })),
        ...egressAllowlistRules(infra.egress, intent),
    ];
}

/** Calico rules carry one protocol each: one Allow rule per protocol, ports as numbers or "a:b" ranges. */
function portRules(ports: readonly PortSpec[], build: (calicoPorts: Array<number | string>) => Pick<CalicoRule, "source" | "destination">): CalicoRule[] {
    const byProtocol = new Map<PortSpec["protocol"], Array<number | string>>();
    for (const port of [...ports].sort(comparePorts)) {
        const list = byProtocol.get(port.protocol) ?? [];
        list.push(port.endPort !== undefined ? `${port.port}:${port.endPort}` : port.port);
        byProtocol.set(port.protocol, list);
    }
    return [...byProtocol.entries()].map(([protocol, calicoPorts]) => ({ action: "Allow" as const, protocol, ...build(calicoPorts) }));
}

/** The FQDNs each workload or infrastructure namespace needs on the firewall. */
export function firewallFqdnAllowances(intent: SegmentationIntent): FqdnAllowance[] {
    return egressOwners(intent).flatMap(({ owner, egress }) => egress.fqdns.map((entry) => ({ owner, ...entry })));
}

/**
 * Egress CIDRs that leave through the firewall: traffic to the VNet, pods and services stays inside, while
 * everything else follows the node subnet's default route and needs a firewall network rule too.
 */
export function firewallCidrAllowances(intent: SegmentationIntent): CidrAllowance[] {
    const inside = [intent.cluster.vnetCidr, intent.cluster.podCidr, intent.cluster.serviceCidr].map(parseIpv4Block);
    const leaves = (cidr: string) => !inside.some((block) => contains(block, parseIpv4Block(cidr)));
    return egressOwners(intent).flatMap(({ owner, egress }) => egress.cidrs.filter((entry) => leaves(entry.cidr)).map((entry) => ({ owner, ...entry })));
}

/** Every egress allowlist with the firewall rule owner it belongs to: `namespace-workload` or `infra-namespace`. */
function egressOwners(intent: SegmentationIntent): Array<{ owner: string; egress: EgressIntent }> {
    return [
        ...intent.namespaces.flatMap((namespace) => namespace.workloads.map((workload) => ({ owner: `${namespace.name}-${workload.name}`, egress: workload.egress }))),
        ...intent.infrastructure.map((infra) => ({ owner: `infra-${infra.name}`, egress: infra.egress })),
    ];
}

/**
 * One representative Pod per declared workload (plus one per infrastructure namespace and peer, CoreDNS, and one
 * in an undeclared namespace), with
 * the intent's labels and container ports. For analysis only: never applied.
 */
export function renderRepresentativeWorkloads(intent: SegmentationIntent): KubeObject[] {
    const pods: KubeObject[] = [pod("kube-system", "coredns", { "k8s-app": "kube-dns" }, [{ port: 53, protocol: "UDP", name: "dns" }, { port: 53, protocol: "TCP", name: "dns-tcp" }])];
    for (const infra of intent.infrastructure) {
        pods.push(pod(infra.name, `${infra.name}-agent`, infra.podLabels ?? { "app.kubernetes.io/name": `${infra.name}-agent` }, []));
    }
    for (const peer of intent.peers) {
        pods.push(pod(peer.name, `${peer.name}-peer`, peer.podLabels ?? { "app.kubernetes.io/name": `${peer.name}-peer` }, []));
    }
    // A pod in a namespace nobody declared: the intent check proves the baseline isolates it.
    pods.push(pod(UNDECLARED_NAMESPACE, "probe", { app: "probe" }, [{ port: 8080, protocol: "TCP", name: "http" }]));
    for (const namespace of intent.namespaces) {
        for (const workload of namespace.workloads) {
            pods.push(pod(namespace.name, workload.name, workload.labels, workload.ports));
        }
    }
    return pods;
}

function pod(namespace: string, name: string, labels: Readonly<Record<string, string>>, ports: ReadonlyArray<{ port: number; protocol: string; name?: string }>): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: sortedLabels(labels) },
        spec: {
            containers: [{
                name: "app",
                image: "representative.invalid/workload:analysis-only",
                ports: ports.map((port) => (port.name ? { name: port.name, containerPort: port.port, protocol: port.protocol } : { containerPort: port.port, protocol: port.protocol })),
            }],
        },
    };
}
