import type { KubeObject } from "../calico";
import { SegmentationIntent, UNDECLARED_NAMESPACE } from "../intent";
import { sortedLabels } from "./calicoRules";

/**
 * AKS's konnectivity-agent: the API server reaches webhooks through these pods, so a webhook sees their pod
 * addresses as its clients (runbook, "Webhooks"; tigera/operator#5212: AKS labels them `app: konnectivity-agent`).
 */
export const KONNECTIVITY_AGENT = { namespace: "kube-system", name: "konnectivity-agent", labels: { app: "konnectivity-agent" } } as const;

/**
 * One representative Pod per declared workload (plus one per infrastructure namespace and peer, CoreDNS,
 * konnectivity-agent, and one in an undeclared namespace), with the intent's labels and container ports. For
 * analysis only: never applied.
 */
export function renderRepresentativeWorkloads(intent: SegmentationIntent): KubeObject[] {
    const pods: KubeObject[] = [
        pod("kube-system", "coredns", { "k8s-app": "kube-dns" }, [{ port: 53, protocol: "UDP", name: "dns" }, { port: 53, protocol: "TCP", name: "dns-tcp" }]),
        // Declared webhook ingress (`ingressFrom` kube-system konnectivity-agent) is proven from this pod.
        pod(KONNECTIVITY_AGENT.namespace, KONNECTIVITY_AGENT.name, KONNECTIVITY_AGENT.labels, []),
    ];
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
