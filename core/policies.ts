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
import type { CidrAllowance, FqdnAllowance } from "./firewallRules";
import {
    comparePorts,
    EgressIntent,
    InfrastructureIntent,
    NamespaceIntent,
    PortSpec,
    portKey,
    PRIVATE_RANGES,
    SEGMENTATION_PATH,
    SegmentationIntent,
    WorkloadIntent,
} from "./intent";

/** ADR 008: "Goal: <10 policies per namespace, <20 global policies". */
export const NAMESPACE_POLICY_BUDGET = 10;
export const GLOBAL_POLICY_BUDGET = 20;

/** Label on every app namespace with a policy set; infrastructure policies select namespaces by it. */
export const POLICY_SET_LABEL = "aks-zero-trust.io/policy-set";
/** Label carrying the namespace's rollout mode. */
export const MODE_LABEL = "aks-zero-trust.io/mode";

/** Calico orders: infrastructure exemptions first, then API access, then Kubernetes policies (1000), then the denied-flow logger. */
export const ORDER_INFRASTRUCTURE = 100;
export const ORDER_KUBERNETES_API = 500;
export const ORDER_LOG_DENIED = 2000;

/** AKS LocalDNS listeners: 169.254.10.11 for pods (ClusterFirst), 169.254.10.10 for the node (AgentBaker localdns.sh). */
export const LOCAL_DNS_ADDRESSES = ["169.254.10.10/32", "169.254.10.11/32"];

/** Azure's platform endpoint (DNS, health, wire server); workloads have no business talking to it directly. */
const AZURE_PLATFORM_ADDRESS = "168.63.129.16/32";
/** Shared address space (RFC 6598), never the internet. */
const SHARED_ADDRESS_SPACE = "100.64.0.0/10";

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

/** The cluster-wide Calico policies: infrastructure exemptions (and, later, the baseline). */
function renderGlobalPolicies(intent: SegmentationIntent): KubeObject[] {
    return renderInfrastructurePolicies(intent);
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
            // Calico service match: follows the API server endpoints wherever AKS puts them (Calico docs, "Use service rules in policy").
            egress: [{ action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } }],
        }));
    }
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
        policies.push(calicoGlobalNetworkPolicy(`infra-${infra.name}-egress`, {
            order: ORDER_INFRASTRUCTURE,
            namespaceSelector: calicoNamespaceSelector(infra.name),
            selector: infraPods,
            types: ["Egress"],
            egress: infrastructureEgressRules(infra, intent, appNamespaces),
        }));
    }
    return policies;
}

/** Infrastructure pods' egress allowlist: DNS, the app pods' declared ports, their sinks, and the API server. */
function infrastructureEgressRules(infra: InfrastructureIntent, intent: SegmentationIntent, appNamespaces: string): CalicoRule[] {
    const rules: CalicoRule[] = [];
    const dns: CalicoEntity = { namespaceSelector: calicoNamespaceSelector("kube-system"), selector: "k8s-app == 'kube-dns'", ports: [53] };
    rules.push({ action: "Allow", protocol: "UDP", destination: dns }, { action: "Allow", protocol: "TCP", destination: dns });
    if (intent.cluster.localDns) {
        const local: CalicoEntity = { nets: LOCAL_DNS_ADDRESSES, ports: [53] };
        rules.push({ action: "Allow", protocol: "UDP", destination: local }, { action: "Allow", protocol: "TCP", destination: local });
    }
    rules.push(...portRules(infra.podPorts, (ports) => ({ destination: { namespaceSelector: appNamespaces, ports } })));
    for (const entry of infra.egress.cidrs) {
        rules.push(...portRules(entry.ports, (ports) => ({ destination: { nets: [entry.cidr], ports } })));
    }
    const internetPorts = internetPortsOf(infra.egress);
    if (internetPorts.length > 0) {
        rules.push(...portRules(internetPorts, (ports) => ({ destination: { nets: ["0.0.0.0/0"], notNets: nonInternetRanges(intent), ports } })));
    }
    if (infra.egress.kubernetesApi) {
        rules.push({ action: "Allow", destination: { services: { name: "kubernetes", namespace: "default" } } });
    }
    return rules;
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
 * One representative Pod per declared workload (plus one per infrastructure namespace and CoreDNS), with
 * the intent's labels and container ports. For analysis only: never applied.
 */
export function renderRepresentativeWorkloads(intent: SegmentationIntent): KubeObject[] {
    const pods: KubeObject[] = [pod("kube-system", "coredns", { "k8s-app": "kube-dns" }, [{ port: 53, protocol: "UDP", name: "dns" }, { port: 53, protocol: "TCP", name: "dns-tcp" }])];
    for (const infra of intent.infrastructure) {
        pods.push(pod(infra.name, `${infra.name}-agent`, infra.podLabels ?? { "app.kubernetes.io/name": `${infra.name}-agent` }, []));
    }
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
