/**
 * Who owns an IP address in a cluster dump (`kubectl get namespaces,pods,services -A -o json`, optionally with
 * `nodes`): pods by status.podIP/podIPs, nodes by status.hostIP of their pods and Node addresses, services by
 * spec.clusterIP(s). The rest of `suggest` only sees the narrow `ClusterAddresses` interface. The quarterly review
 * reads the same dump as a `ClusterInventory`: which namespaces exist and which workloads run or can start.
 *
 * Loading and workload identity are the reachability engine's (reach/): `parseManifests` flattens `kind: List`
 * and typed lists (`PodList` items carry no kind), `podWorkloads` names each pod's workload by its controlling
 * owner (`shop/backend-5c6d7e8f9[ReplicaSet]`), the same names the engine's connections use.
 */
import { InputError, parseManifests, podWorkloads, workloadEndpoints, type Labels, type ManifestObject } from "../../reach";

/** A pod's workload: the controlling owner the pod names, or the pod itself. */
export interface PodOwner {
    readonly kind: "pod";
    readonly namespace: string;
    readonly pod: string;
    /** `namespace/name[Kind]` of the workload, as reach names it (the pod's controlling owner, else the pod). */
    readonly workload: string;
    readonly labels: Readonly<Record<string, string>>;
    /** Container ports by name, for a Service's named targetPort. */
    readonly namedPorts: ReadonlyMap<string, number>;
    readonly hostNetwork: boolean;
    readonly node?: string;
}

/** A node, known by its address. */
export interface NodeOwner {
    readonly kind: "node";
    readonly name: string;
}

/** A Service's cluster IP. */
export interface ServiceOwner {
    readonly kind: "service";
    readonly namespace: string;
    readonly name: string;
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol: string; readonly targetPort: number | string }>;
}

export type AddressOwner = PodOwner | NodeOwner | ServiceOwner;

/** The narrow view `suggest` needs of a cluster: what owns an address, and which pods back a Service port. */
export interface ClusterAddresses {
    ownerOf(address: string): AddressOwner | undefined;
    /** The pods a Service sends a port to, with the pod port after DNAT; empty when the selector matches nothing. */
    backendsOf(service: ServiceOwner, port: number, protocol: string): ReadonlyArray<{ readonly pod: PodOwner; readonly port: number }>;
}

type Json = Record<string, any>;

/** Reads a cluster dump; an object the dump cannot hold (two pods with one IP, ...) is an InputError naming file:line. */
export function readClusterAddresses(text: string, file: string): ClusterAddresses {
    const { objects } = parseManifests(text, file);
    const workloadOfPod = new Map(podWorkloads(objects).map((workload) => [`${workload.namespace}/${workload.pod}`, workload.display]));
    const owners = new Map<string, AddressOwner>();
    const pods: PodOwner[] = [];
    const claim = (address: unknown, owner: AddressOwner, object: ManifestObject) => {
        if (typeof address !== "string" || address === "" || address === "None") return;
        const existing = owners.get(address);
        // Host-network pods share their node's address: the node owns it.
        if (existing?.kind === "node" || (existing && owner.kind === "pod" && owner.hostNetwork)) return;
        if (existing && existing.kind === "pod" && owner.kind === "pod" && !existing.hostNetwork) {
            if (existing.workload === owner.workload) return;
            throw new InputError(`${address} belongs to two pods, ${existing.namespace}/${existing.pod} and ${owner.namespace}/${owner.pod}; dump the cluster once, not twice`, object.source?.file ?? file, object.source?.line);
        }
        owners.set(address, owner);
    };
    for (const manifest of objects) {
        const object = manifest.object as Json;
        if (object === null || typeof object !== "object") continue;
        const kind = object.kind;
        const metadata = (object.metadata ?? {}) as Json;
        if (kind === "Node") {
            for (const address of (object.status?.addresses ?? []) as Json[]) {
                if (address.type === "InternalIP" || address.type === "ExternalIP") claim(address.address, { kind: "node", name: String(metadata.name) }, manifest);
            }
        }
        if (kind === "Pod") {
            const namespace = String(metadata.namespace ?? "default");
            const namedPorts = new Map<string, number>();
            for (const container of (object.spec?.containers ?? []) as Json[]) {
                for (const port of (container.ports ?? []) as Json[]) if (typeof port.name === "string") namedPorts.set(port.name, Number(port.containerPort));
            }
            const pod: PodOwner = {
                kind: "pod",
                namespace,
                pod: String(metadata.name),
                workload: workloadOfPod.get(`${namespace}/${metadata.name}`) ?? `${namespace}/${metadata.name}[Pod]`,
                labels: (metadata.labels ?? {}) as Record<string, string>,
                namedPorts,
                hostNetwork: object.spec?.hostNetwork === true,
                ...(typeof object.spec?.nodeName === "string" ? { node: object.spec.nodeName } : {}),
            };
            pods.push(pod);
            const status = (object.status ?? {}) as Json;
            if (typeof status.hostIP === "string" && pod.node) claim(status.hostIP, { kind: "node", name: pod.node }, manifest);
            for (const address of [status.podIP, ...((status.podIPs ?? []) as Json[]).map((entry) => entry.ip)]) claim(address, pod, manifest);
        }
        if (kind === "Service") {
            const spec = (object.spec ?? {}) as Json;
            const service: ServiceOwner = {
                kind: "service",
                namespace: String(metadata.namespace ?? "default"),
                name: String(metadata.name),
                ...(spec.selector ? { selector: spec.selector as Record<string, string> } : {}),
                ports: ((spec.ports ?? []) as Json[]).map((port) => ({ port: Number(port.port), protocol: String(port.protocol ?? "TCP"), targetPort: port.targetPort ?? Number(port.port) })),
            };
            for (const address of new Set([spec.clusterIP, ...((spec.clusterIPs ?? []) as unknown[])])) claim(address, service, manifest);
        }
    }
    return {
        ownerOf: (address) => owners.get(address),
        backendsOf: (service, port, protocol) => {
            const servicePort = service.ports.find((candidate) => candidate.port === port && candidate.protocol === protocol);
            if (!servicePort || !service.selector) return [];
            const selector = service.selector;
            return pods
                .filter((pod) => pod.namespace === service.namespace && Object.entries(selector).every(([key, value]) => pod.labels[key] === value))
                .flatMap((pod) => {
                    const target = typeof servicePort.targetPort === "number" ? servicePort.targetPort : pod.namedPorts.get(servicePort.targetPort) ?? Number(servicePort.targetPort);
                    return Number.isInteger(target) && target > 0 ? [{ pod, port: target }] : [];
                });
        },
    };
}

/** A workload of a cluster dump: pods under their controlling owner, or a controller's pod template with no pod. */
export interface InventoryWorkload {
    readonly namespace: string;
    /** `namespace/name[Kind]`, as reach names it. */
    readonly display: string;
    /** Pod labels, as Kubernetes selectors see them. */
    readonly labels: Labels;
    /** Pod labels plus Calico's pseudo-labels (projectcalico.org/namespace, ...), as Calico selectors see them. */
    readonly calicoLabels: Labels;
    /** Pods in the dump; 0 for a pod template (a Deployment scaled to zero, a CronJob between runs). */
    readonly pods: number;
}

/** What runs in a cluster, as far as a dump shows it. */
export interface ClusterInventory {
    /** Names of the dump's Namespace objects; undefined when it lists none (then no namespace can be called absent). */
    readonly namespaces?: ReadonlySet<string>;
    readonly workloads: readonly InventoryWorkload[];
    readonly podCount: number;
    /** Whether the dump holds controllers (Deployments, CronJobs, ...), whose pod templates show what can start. */
    readonly hasControllers: boolean;
}

const CONTROLLER_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]);

/**
 * Reads a dump (`kubectl get namespaces,pods,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs -A -o json`)
 * as an inventory; a dump without pods or controllers is an InputError (a dump of one namespace, or the wrong file).
 */
export function readClusterInventory(text: string, file: string): ClusterInventory {
    const { objects } = parseManifests(text, file);
    const kinds = objects.map((manifest) => (manifest.object as Json | null)?.kind);
    const namespaces = objects
        .filter((manifest) => (manifest.object as Json | null)?.kind === "Namespace")
        .map((manifest) => String((manifest.object as Json).metadata?.name));
    const podCount = kinds.filter((kind) => kind === "Pod").length;
    const hasControllers = kinds.some((kind) => typeof kind === "string" && CONTROLLER_KINDS.has(kind));
    if (podCount === 0 && !hasControllers) {
        throw new InputError("the dump holds no pods and no controllers: dump the whole cluster with kubectl get namespaces,pods,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs -A -o json", file);
    }
    const workloads = workloadEndpoints(objects).map((endpoint) => ({
        namespace: endpoint.namespace,
        display: endpoint.display,
        labels: endpoint.labels,
        calicoLabels: endpoint.calicoLabels,
        pods: endpoint.pods?.length ?? 0,
    }));
    return { ...(namespaces.length > 0 ? { namespaces: new Set(namespaces) } : {}), workloads, podCount, hasControllers };
}
