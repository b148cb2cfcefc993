/**
 * Workload identity: which workload a pod (or a controller object) is reported as.
 *
 * Users and other analyzers think in workloads, not pods: a pod with a controlling ownerReference
 * (`controller: true`; Kubernetes allows at most one per object) is reported under that owner, and the
 * chain is followed upwards as far as the owners are in the input: Pod → ReplicaSet → Deployment,
 * Pod → Job → CronJob. A pod's own owner is used even when only the reference names it (a dump of pods
 * alone still groups `frontend-99684f7f8-x2x7q` under `frontend-99684f7f8[ReplicaSet]`); further up, an
 * owner is used only when it is in the input, because only then do we know it exists. So pod restarts
 * (new pod names, same owner) leave the reported workloads unchanged.
 *
 * One reported workload is one endpoint: all its pods must look the same to policies (labels, service
 * account, container ports). Pods of one owner that differ are split into one workload per distinct look,
 * each named after the owner with a suffix derived from that look only (so it stays the same from one
 * dump to the next), and one warning is given per owner.
 *
 * Controller objects without pods in the input (manifests rather than a cluster dump) stand for their
 * pods through their pod template, reported under the top of their chain, unless scaled to zero
 * (`spec.replicas: 0`, as the old ReplicaSets of every Deployment are). Pure: no I/O.
 */
import type { SourceLocation, Warning } from "./errors";

/** A port a container listens on (for named-port resolution). */
export interface ContainerPort {
    /** Port name, for named-port references. */
    readonly name?: string;
    /** Port number. */
    readonly port: number;
    /** Protocol (TCP when omitted in the manifest). */
    readonly protocol: "TCP" | "UDP" | "SCTP";
}

/** A pod, or a controller object standing for its pods through its template, as read from the input. */
export interface WorkloadMember {
    /** Pod, ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicationController. */
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    /** Pod labels (the template's for a controller). */
    readonly labels: ReadonlyMap<string, string>;
    readonly ports: readonly ContainerPort[];
    readonly serviceAccount: string;
    /** `spec.hostNetwork: true`: no Calico workload endpoint, so no policy applies to it. */
    readonly hostNetwork?: boolean;
    /** The controlling ownerReference, when there is one. */
    readonly controller?: { readonly kind: string; readonly name: string };
    /** A pod's IPv4 address from status.podIP/podIPs, as a number (absent when unknown, and for controllers). */
    readonly podIP?: number;
    /** A controller's spec.replicas: 0 means it runs no pods (an old ReplicaSet kept for rollback). */
    readonly replicas?: number;
    readonly source?: SourceLocation;
}

/** One reported workload: the pods (or template) that share an identity and a look. */
export interface WorkloadGroup {
    /** Kind of the identity (the owner's kind, or Pod for a bare pod). */
    readonly kind: string;
    readonly namespace: string;
    /** The identity's name, plus `~suffix` when the owner's pods were split by look. */
    readonly name: string;
    /** "namespace/name[Kind]". */
    readonly display: string;
    readonly labels: ReadonlyMap<string, string>;
    readonly ports: readonly ContainerPort[];
    readonly serviceAccount: string;
    /** The pods run with `hostNetwork: true`. */
    readonly hostNetwork: boolean;
    /** Names of the pods in the group, sorted (empty when the group stands for a template). */
    readonly pods: readonly string[];
    /** IPv4 addresses of those pods as numbers, one entry per pod (undefined where a pod's IP is unknown). */
    readonly podIPs: readonly (number | undefined)[];
    readonly source?: SourceLocation;
}

/** Which workload a pod is reported as. */
export interface PodWorkload {
    /** The pod's namespace. */
    readonly namespace: string;
    /** The pod's name. */
    readonly pod: string;
    /** The workload's kind (ReplicaSet, Deployment, ..., or Pod for a bare pod). */
    readonly kind: string;
    /** The workload's name (with the split suffix when its owner's pods differ). */
    readonly name: string;
    /** "namespace/name[Kind]", as in every output. */
    readonly display: string;
}

/** The reported workloads, what each pod is reported as, and the split warnings. */
export interface WorkloadGrouping {
    /** Sorted by namespace, name, kind. */
    readonly groups: readonly WorkloadGroup[];
    /** Sorted by namespace, pod name. */
    readonly podWorkloads: readonly PodWorkload[];
    readonly warnings: readonly Warning[];
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function objectKey(namespace: string, kind: string, name: string): string {
    return `${namespace}/${kind}/${name}`;
}

/** The identity a member is reported under: its own, its controller's, or further up while owners are present. */
function identityOf(member: WorkloadMember, present: ReadonlyMap<string, WorkloadMember>): { kind: string; name: string; object?: WorkloadMember } {
    // Static pods' mirror pods name their Node as controller (kubelet pkg/kubelet/pod/mirror_client.go sets a
    // controller ownerReference to the Node): each is its own workload (etcd, kube-apiserver, ...).
    if (!member.controller || member.controller.kind === "Node") return { kind: member.kind, name: member.name, object: member };
    let identity: { kind: string; name: string; object?: WorkloadMember } = { kind: member.controller.kind, name: member.controller.name };
    identity.object = present.get(objectKey(member.namespace, identity.kind, identity.name));
    // A controller object whose owner is absent stands for itself; a pod always goes to its owner.
    if (identity.object === undefined && member.kind !== "Pod") return { kind: member.kind, name: member.name, object: member };
    const visited = new Set<string>([objectKey(member.namespace, member.kind, member.name)]);
    while (identity.object?.controller) {
        const next = present.get(objectKey(member.namespace, identity.object.controller.kind, identity.object.controller.name));
        if (next === undefined || visited.has(objectKey(next.namespace, next.kind, next.name))) break;
        visited.add(objectKey(next.namespace, next.kind, next.name));
        identity = { kind: next.kind, name: next.name, object: next };
    }
    return identity;
}

/** Everything about a pod that policies can see, as one comparable text. */
function lookOf(member: WorkloadMember): string {
    const labels = [...member.labels].sort(([a], [b]) => compareText(a, b));
    const ports = member.ports.map((port) => `${port.name ?? ""}:${port.port}/${port.protocol}`).sort(compareText);
    return JSON.stringify([labels, member.serviceAccount, ports, member.hostNetwork === true]);
}

/** A short stable suffix for a look: FNV-1a (32-bit) of its text, base 36. Deterministic, no clock or randomness. */
export function lookSuffix(look: string): string {
    let hash = 0x811c9dc5;
    for (let index = 0; index < look.length; index++) {
        hash ^= look.charCodeAt(index);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(36).padStart(7, "0");
}

/** Groups pods and controller objects into reported workloads. */
export function groupWorkloads(members: readonly WorkloadMember[]): WorkloadGrouping {
    const present = new Map<string, WorkloadMember>();
    for (const member of members) if (member.kind !== "Pod") present.set(objectKey(member.namespace, member.kind, member.name), member);

    interface Pending {
        readonly namespace: string;
        readonly kind: string;
        readonly name: string;
        readonly object?: WorkloadMember;
        readonly pods: WorkloadMember[];
    }
    const identities = new Map<string, Pending>();
    for (const member of members) {
        const identity = identityOf(member, present);
        const key = objectKey(member.namespace, identity.kind, identity.name);
        let pending = identities.get(key);
        if (!pending) identities.set(key, (pending = { namespace: member.namespace, kind: identity.kind, name: identity.name, object: identity.object, pods: [] }));
        if (member.kind === "Pod") pending.pods.push(member);
    }

    const groups: WorkloadGroup[] = [];
    const podWorkloads: PodWorkload[] = [];
    const warnings: Warning[] = [];
    const make = (pending: Pending, name: string, look: WorkloadMember, pods: readonly WorkloadMember[]): WorkloadGroup => {
        const sorted = [...pods].sort((a, b) => compareText(a.name, b.name));
        const display = `${pending.namespace}/${name}[${pending.kind}]`;
        for (const pod of sorted) podWorkloads.push({ namespace: pod.namespace, pod: pod.name, kind: pending.kind, name, display });
        return {
            kind: pending.kind,
            namespace: pending.namespace,
            name,
            display,
            labels: look.labels,
            ports: look.ports,
            serviceAccount: look.serviceAccount,
            hostNetwork: look.hostNetwork === true,
            pods: sorted.map((pod) => pod.name),
            podIPs: sorted.map((pod) => pod.podIP),
            source: pending.object?.source ?? sorted[0]?.source,
        };
    };
    for (const pending of identities.values()) {
        if (pending.pods.length === 0) {
            // Manifests without pods: the top object of the chain stands for its pods through its template.
            // Scaled to zero (old ReplicaSets kept for rollback, paused workloads): no pods, so no endpoint.
            if (pending.object && pending.object.replicas !== 0) groups.push(make(pending, pending.name, pending.object, []));
            continue;
        }
        const looks = new Map<string, WorkloadMember[]>();
        for (const pod of pending.pods) {
            const look = lookOf(pod);
            const same = looks.get(look);
            if (same) same.push(pod);
            else looks.set(look, [pod]);
        }
        if (looks.size === 1) {
            groups.push(make(pending, pending.name, pending.pods[0]!, pending.pods));
            continue;
        }
        const split = [...looks].map(([look, pods]) => make(pending, `${pending.name}~${lookSuffix(look)}`, pods[0]!, pods));
        split.sort((a, b) => compareText(a.name, b.name));
        groups.push(...split);
        warnings.push({
            source: pending.object?.source ?? split[0]!.source,
            message:
                `pods of ${pending.namespace}/${pending.name}[${pending.kind}] differ in labels, service account, ports or host network; ` +
                `reported as ${split.length} workloads: ${split.map((group) => `${group.display} (${group.pods.length} pod${group.pods.length === 1 ? "" : "s"})`).join(", ")}`,
        });
    }
    groups.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name) || compareText(a.kind, b.kind));
    podWorkloads.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.pod, b.pod));
    return { groups, podWorkloads, warnings };
}
