import { CalicoRule, calicoLabelSelector, calicoNetworkPolicy, KubeObject, MANAGED_BY_LABELS } from "../calico";
import { comparePorts, EgressIntent, GENERATED_POLICY_NAMES, NamespaceIntent, POD_SECURITY_LABEL_PREFIX, PortSpec, portKey, SegmentationIntent, WORKLOAD_POLICY_PREFIX, WorkloadIntent } from "../intent";
import { internetPortsOf, nonInternetRanges, sortedLabels } from "./calicoRules";
import { KUBERNETES_API, LOCAL_DNS_ADDRESSES, MODE_LABEL, ORDER_DENY_KUBERNETES_API, ORDER_KUBERNETES_API, ORDER_LOG_DENIED, POLICY_SET_LABEL } from "./conventions";

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

/** Number of policies a namespace set holds (the Namespace object is not a policy). */
export function policyCount(set: NamespacePolicySetPlan): number {
    return set.allowPolicies.length + set.denyPolicies.length;
}

/** The policy set of one app namespace. */
export function renderNamespacePolicies(namespace: NamespaceIntent, intent: SegmentationIntent): NamespacePolicySetPlan {
    const name = namespace.name;
    const namespaceObject: KubeObject = {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { ...namespace.labels, ...MANAGED_BY_LABELS, [POLICY_SET_LABEL]: "enabled", [MODE_LABEL]: namespace.mode, ...podSecurityLabels(namespace) } },
    };
    const allowPolicies: KubeObject[] = [networkPolicy(GENERATED_POLICY_NAMES.allowDns, name, { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgressRule(intent)] })];
    for (const workload of namespace.workloads) {
        const policy = workloadPolicy(workload, intent);
        if (policy) allowPolicies.push(policy);
    }
    const apiClients = namespace.workloads.filter((workload) => workload.egress.kubernetesApi);
    if (apiClients.length > 0) {
        allowPolicies.push(calicoNetworkPolicy(GENERATED_POLICY_NAMES.allowKubernetesApi, name, {
            order: ORDER_KUBERNETES_API,
            selector: apiClients.map((workload) => `(${calicoLabelSelector(workload.labels)})`).join(" || "),
            types: ["Egress"],
            egress: [{ action: "Allow", destination: KUBERNETES_API }],
        }));
    }
    // Before the Kubernetes allows: an internet allowance (0.0.0.0/0 minus private ranges) would otherwise reach a
    // public API server, which the firewall passes for AKS. In audit mode the attempt is only logged.
    allowPolicies.push(calicoNetworkPolicy(GENERATED_POLICY_NAMES.denyKubernetesApi, name, {
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
        networkPolicy(GENERATED_POLICY_NAMES.defaultDenyAll, name, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    ];
    return { namespace: name, mode: namespace.mode, namespaceObject, allowPolicies, denyPolicies };
}

/**
 * Pod Security Admission on every namespace the stack creates: `baseline` (the default) or `restricted` forbids
 * hostNetwork, hostPID, hostIPC and privileged pods (Kubernetes "Pod Security Standards"). A host-networked pod has
 * no Calico workload endpoint (libcalico-go conversion.go), so no policy of the set would hold it; admission is
 * what keeps it out. `warn` and `audit` at the same level make kubectl and the audit log say why.
 */
export function podSecurityLabels(namespace: NamespaceIntent): Record<string, string> {
    return Object.fromEntries(["enforce", "warn", "audit"].map((mode) => [`${POD_SECURITY_LABEL_PREFIX}${mode}`, namespace.podSecurity]));
}

/**
 * After the Kubernetes policies (order 1000), whatever they did not allow reaches this policy:
 * it is logged (iptables LOG, prefix `calico-packet`), then denied in enforce mode or allowed in audit
 * mode. Audit therefore shows what enforcement would block without blocking it.
 */
function logDeniedPolicy(namespace: string, mode: "audit" | "enforce"): KubeObject {
    const verdict: CalicoRule = { action: mode === "enforce" ? "Deny" : "Allow" };
    const rules: CalicoRule[] = [{ action: "Log" }, verdict];
    return calicoNetworkPolicy(GENERATED_POLICY_NAMES.logDenied, namespace, { order: ORDER_LOG_DENIED, selector: "all()", types: ["Ingress", "Egress"], ingress: rules, egress: rules });
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
    return networkPolicy(`${WORKLOAD_POLICY_PREFIX}${workload.name}`, workload.namespace, spec);
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
