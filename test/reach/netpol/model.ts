/**
 * The cluster model of Kubernetes' network policy e2e suite (test/e2e/network/netpol): namespaces x, y, z
 * labelled ns=<name>; pods a, b, c labelled pod=<name>; one container per port and protocol, with the port
 * named serve-<port>-<protocol> (serve-80-tcp, serve-81-udp, ...). Pod IPs are unknown to the analyzer, so
 * cases about ipBlock add external hosts with fixed addresses.
 */
import type { ManifestObject } from "../../../reach";

/** Protocols the model serves. */
export type Protocol = "TCP" | "UDP" | "SCTP";

/** A test cluster: pods as "namespace/name", plus external hosts by name ("ext/server") and address. */
export interface Model {
    /** Pods, e.g. ["x/a", "x/b", "y/a"]. */
    readonly pods: readonly string[];
    /** Ports every pod serves. */
    readonly ports: readonly number[];
    /** Protocols every pod serves. */
    readonly protocols: readonly Protocol[];
    /** External hosts ("ext/name" -> IPv4 address), for ipBlock cases. */
    readonly hosts?: Readonly<Record<string, string>>;
    /** Extra namespace labels. */
    readonly namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** Extra pod labels. */
    readonly podLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The three namespaces of the suite. */
export const NAMESPACES = ["x", "y", "z"] as const;

/** Every pod of the full model: x/a ... z/c. */
export const ALL_PODS: readonly string[] = NAMESPACES.flatMap((namespace) => ["a", "b", "c"].map((pod) => `${namespace}/${pod}`));

/** Builds a model with the suite's defaults (ports 80 and 81 over TCP unless told otherwise). */
export function model(pods: readonly string[], options: Partial<Omit<Model, "pods">> = {}): Model {
    return { pods, ports: options.ports ?? [80, 81], protocols: options.protocols ?? ["TCP"], ...options };
}

/** Every endpoint of the model: pods, then hosts. */
export function endpointsOf(cluster: Model): string[] {
    return [...cluster.pods, ...Object.keys(cluster.hosts ?? {})];
}

/** The Kubernetes objects of the model (Namespaces and Pods). */
export function clusterObjects(cluster: Model): ManifestObject[] {
    const namespaces = NAMESPACES.map((name) => ({
        object: {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name, labels: { ns: name, ...(cluster.namespaceLabels?.[name] ?? {}) } },
        },
    }));
    const pods = cluster.pods.map((pod) => {
        const [namespace, name] = pod.split("/") as [string, string];
        const containers = cluster.ports.flatMap((port) =>
            cluster.protocols.map((protocol) => ({
                name: `cont-${port}-${protocol.toLowerCase()}`,
                ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
            })),
        );
        return {
            object: {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name, namespace, labels: { pod: name, ...(cluster.podLabels?.[pod] ?? {}) } },
                spec: { containers },
            },
        };
    });
    return [...namespaces, ...pods];
}
