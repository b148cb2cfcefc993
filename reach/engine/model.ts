/**
 * The cluster as the analyzer sees it: namespaces, workloads (the endpoints), services, service accounts,
 * Calico tiers and network sets, plus the validated policy objects waiting to be compiled.
 */
import { InputError, type SourceLocation, type Warning, fieldError } from "../input";
import { type Intervals, unionIntervals } from "./intervals";
import { ALL_IPV4, parseCidr } from "./ipranges";
import type { PortProtocol } from "./ports";
import type { ManifestObject } from "../input";
import {
    type CalicoPolicyObject,
    type MetadataObject,
    type NetworkPolicyObject,
    type PodSpecObject,
    type PodStatusObject,
    calicoPolicyShape,
    cronJobShape,
    ipPoolShape,
    metadataOnlyShape,
    networkPolicyShape,
    networkSetShape,
    parseShape,
    podShape,
    serviceShape,
    templatedWorkloadShape,
    tierShape,
} from "../input";
import type { Labels } from "../input";
import { type ContainerPort, type PodWorkload, type WorkloadMember, groupWorkloads } from "../input";

/** Kind of the pseudo-endpoint standing for the Kubernetes API server. */
export const API_SERVER_KIND = "APIServer";

/** The Kubernetes default tier's order when no Tier object sets it (Calico docs, Tier resource). */
export const DEFAULT_TIER_ORDER = 1_000_000;

/** Label the API server puts on every namespace (immutable since Kubernetes 1.22). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export type { ContainerPort } from "../input";

/** A workload (or the API server pseudo-endpoint): one traffic endpoint standing for all its pods. */
export interface Endpoint {
    /** Dense index, in output order. */
    readonly id: number;
    /** Deployment, StatefulSet, Pod, ..., or APIServer. */
    readonly kind: string;
    /** Namespace. */
    readonly namespace: string;
    /** Name of the workload object. */
    readonly name: string;
    /** "namespace/name[Kind]". */
    readonly display: string;
    /** Pod labels, as Kubernetes selectors see them. */
    readonly labels: Labels;
    /** Pod labels plus Calico's pseudo-labels (projectcalico.org/namespace, /orchestrator, /serviceaccount). */
    readonly calicoLabels: Labels;
    /** Container ports. */
    readonly ports: readonly ContainerPort[];
    /** Service account name. */
    readonly serviceAccount: string;
    /**
     * `hostNetwork: true`: Calico creates no workload endpoint for such a pod (libcalico-go
     * lib/backend/k8s/conversion/conversion.go skips host-networked pods), so no policy selects it or names it by
     * labels, and its traffic carries its node's address (status.podIP is the node's). Unpoliced both ways.
     */
    readonly hostNetwork?: boolean;
    /** Names of the pods reported as this workload (empty when it stands for a pod template). */
    readonly pods?: readonly string[];
    /** IPv4 addresses of those pods as numbers, one entry per pod (undefined where unknown). */
    readonly podIPs?: readonly (number | undefined)[];
    /** Where the workload is defined. */
    readonly source?: SourceLocation;
}

/** A namespace with its labels. */
export interface NamespaceInfo {
    /** Name. */
    readonly name: string;
    /** Labels, including kubernetes.io/metadata.name. */
    readonly labels: Labels;
    /** Labels plus Calico's projectcalico.org/name. */
    readonly calicoLabels: Labels;
}

/** A Service port. */
export interface ServicePort {
    /** Service port number. */
    readonly port: number;
    /** Target port: a number, or a container port name. */
    readonly targetPort: number | string;
    /** Protocol. */
    readonly protocol: PortProtocol;
}

/** A Service, for Calico `services` matches. */
export interface ServiceInfo {
    /** Namespace. */
    readonly namespace: string;
    /** Name. */
    readonly name: string;
    /** Pod selector; absent for selector-less services. */
    readonly selector?: Labels;
    /** Ports. */
    readonly ports: readonly ServicePort[];
}

/** A Calico NetworkSet (namespaced) or GlobalNetworkSet (namespace undefined). */
export interface NetworkSetInfo {
    /** Namespace, or undefined for a GlobalNetworkSet. */
    readonly namespace?: string;
    /** Name. */
    readonly name: string;
    /** Labels. */
    readonly labels: Labels;
    /** Addresses. */
    readonly nets: Intervals;
}

/** A Calico tier. */
export interface TierInfo {
    /** Name. */
    readonly name: string;
    /** Order (lower first); Infinity when unset. */
    readonly order: number;
    /** What happens to traffic no policy of the tier decided, when the tier selected the endpoint. */
    readonly defaultAction: "Deny" | "Pass";
    /** Where declared, if it was. */
    readonly source?: SourceLocation;
}

/** A Calico staged policy (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy). */
export interface StagedPolicyInfo {
    readonly kind: string;
    /** Namespace, or undefined for a StagedGlobalNetworkPolicy. */
    readonly namespace?: string;
    readonly name: string;
    readonly source?: SourceLocation;
}

/** A validated policy object, not yet compiled. */
export type PolicyObject =
    | { readonly kind: "NetworkPolicy"; readonly object: NetworkPolicyObject; readonly source?: SourceLocation }
    | {
          readonly kind: "CalicoNetworkPolicy" | "GlobalNetworkPolicy";
          readonly object: CalicoPolicyObject;
          readonly source?: SourceLocation;
          /** A crd.projectcalico.org/v1 object: Felix reads its tier from its name, not from spec.tier. */
          readonly tierFromName?: boolean;
      };

/** Everything read from the manifests. */
export interface ClusterModel {
    /** Workload endpoints, sorted by namespace, name, kind (ids follow that order). */
    readonly workloads: readonly Endpoint[];
    /** The workload each pod is reported as, sorted by namespace and pod name. */
    readonly podWorkloads: readonly PodWorkload[];
    /** Namespaces by name, declared or implied. */
    readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
    /** Services by "namespace/name". */
    readonly services: ReadonlyMap<string, ServiceInfo>;
    /** Service account labels by "namespace/name". */
    readonly serviceAccounts: ReadonlyMap<string, Labels>;
    /** Network sets. */
    readonly networkSets: readonly NetworkSetInfo[];
    /** Tiers by name (the default tier is always present). */
    readonly tiers: ReadonlyMap<string, TierInfo>;
    /** Where pod IPs lie: the enabled IPv4 Calico IPPools in the input, else all of IPv4 (unknown). */
    readonly podAddressSpace: Intervals;
    /** Policies to compile, in input order. */
    readonly policies: readonly PolicyObject[];
    /** Calico staged policies: read, never enforced (enforceStagedPolicies gives the view with them enforced). */
    readonly stagedPolicies: readonly StagedPolicyInfo[];
    /** Problems met while reading. */
    readonly warnings: readonly Warning[];
}

const CALICO_GROUPS = new Set(["projectcalico.org", "crd.projectcalico.org"]);

function groupOf(apiVersion: unknown): string {
    if (typeof apiVersion !== "string") return "";
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? "" : apiVersion.slice(0, slash);
}

function labelsOf(record: Readonly<Record<string, string>> | null | undefined): Map<string, string> {
    return new Map(Object.entries(record ?? {}));
}

function containerPorts(spec: PodSpecObject | null | undefined): ContainerPort[] {
    const ports: ContainerPort[] = [];
    for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        for (const port of container.ports ?? []) {
            ports.push({ name: port.name ?? undefined, port: port.containerPort, protocol: port.protocol ?? "TCP" });
        }
    }
    return ports;
}

/** A pod's IPv4 address: status.podIPs lists every family (podIPs[0] equals podIP); IPv6 ones are not analysed. */
function podIPv4(status: PodStatusObject | undefined, source: SourceLocation | undefined): number | undefined {
    const candidates: { text: string; path: (string | number)[] }[] = [];
    if (status?.podIP !== undefined) candidates.push({ text: status.podIP, path: ["status", "podIP"] });
    (status?.podIPs ?? []).forEach((entry, index) => candidates.push({ text: entry.ip, path: ["status", "podIPs", index, "ip"] }));
    for (const candidate of candidates) {
        const parsed = parseCidr(candidate.text, true);
        if (typeof parsed === "string") throw fieldError(source, candidate.path, parsed);
        if (parsed.family === "ipv4") {
            if (parsed.range[0] !== parsed.range[1]) throw fieldError(source, candidate.path, `expected an IP address, found ${JSON.stringify(candidate.text)}`);
            return parsed.range[0];
        }
    }
    return undefined;
}

/** Reads manifest objects into the cluster model. Unknown kinds are skipped with a warning; bad objects throw InputError. */
export function buildModel(objects: readonly ManifestObject[]): ClusterModel {
    const warnings: Warning[] = [];
    const pending: WorkloadMember[] = [];
    const declaredNamespaces = new Map<string, Map<string, string>>();
    const usedNamespaces = new Set<string>();
    const services = new Map<string, ServiceInfo>();
    const serviceAccounts = new Map<string, Labels>();
    const networkSets: NetworkSetInfo[] = [];
    const tiers = new Map<string, TierInfo>();
    const policies: PolicyObject[] = [];
    const stagedPolicies: StagedPolicyInfo[] = [];
    const seen = new Map<string, SourceLocation | undefined>();
    let podPools: Intervals = [];

    const claim = (key: string, description: string, source: SourceLocation | undefined): void => {
        if (seen.has(key)) {
            const first = seen.get(key);
            const where = first ? ` (first defined at ${first.file}${first.line ? `:${first.line}` : ""})` : "";
            throw new InputError(`duplicate ${description}${where}`, source?.file, source?.line);
        }
        seen.set(key, source);
    };

    const addWorkload = (
        kind: string,
        metadata: MetadataObject,
        labels: Readonly<Record<string, string>> | null | undefined,
        spec: PodSpecObject | null | undefined,
        source: SourceLocation | undefined,
        podIP?: number,
        replicas?: number,
    ): void => {
        const namespace = metadata.namespace ?? "default";
        claim(`workload/${kind}/${namespace}/${metadata.name}`, `${kind} ${namespace}/${metadata.name}`, source);
        usedNamespaces.add(namespace);
        const controller = (metadata.ownerReferences ?? []).find((reference) => reference.controller === true);
        pending.push({
            kind,
            namespace,
            name: metadata.name,
            labels: labelsOf(labels),
            ports: containerPorts(spec),
            serviceAccount: spec?.serviceAccountName ?? spec?.serviceAccount ?? "default",
            hostNetwork: spec?.hostNetwork === true,
            controller: controller ? { kind: controller.kind, name: controller.name } : undefined,
            podIP,
            replicas,
            source,
        });
    };

    // One warning per unsupported kind, at its first object: a dump's ConfigMapList should not drown the output.
    const unsupported = new Map<string, { source: SourceLocation | undefined; count: number }>();
    const skipUnsupported = (kind: string, source: SourceLocation | undefined): void => {
        const seenKind = unsupported.get(kind);
        if (seenKind) seenKind.count++;
        else unsupported.set(kind, { source, count: 1 });
    };

    for (const { object, source } of objects) {
        if (object === null || typeof object !== "object" || Array.isArray(object)) {
            warnings.push({ source, message: "skipping an object that is not a mapping" });
            continue;
        }
        const record = object as Record<string, unknown>;
        const kind = record.kind;
        if (typeof kind !== "string" || kind === "") {
            warnings.push({ source, message: "skipping an object without kind" });
            continue;
        }
        const group = groupOf(record.apiVersion);
        if (CALICO_GROUPS.has(group)) {
            switch (kind) {
                case "NetworkPolicy":
                case "GlobalNetworkPolicy": {
                    const policy = parseShape(calicoPolicyShape, object, source);
                    const policyKind = kind === "NetworkPolicy" ? "CalicoNetworkPolicy" : "GlobalNetworkPolicy";
                    const namespace = kind === "NetworkPolicy" ? (policy.metadata.namespace ?? "default") : "";
                    if (kind === "NetworkPolicy") usedNamespaces.add(namespace);
                    claim(`${policyKind}/${namespace}/${policy.metadata.name}`, `${kind} ${namespace ? `${namespace}/` : ""}${policy.metadata.name}`, source);
                    policies.push({ kind: policyKind, object: policy, source, tierFromName: group === "crd.projectcalico.org" });
                    continue;
                }
                case "StagedNetworkPolicy":
                case "StagedGlobalNetworkPolicy":
                case "StagedKubernetesNetworkPolicy": {
                    // Felix evaluates staged policies for flow logs only; they never decide traffic (reach/input/staged.ts).
                    const staged = parseShape(metadataOnlyShape, object, source);
                    const namespace = kind === "StagedGlobalNetworkPolicy" ? undefined : (staged.metadata.namespace ?? "default");
                    claim(`${kind}/${namespace ?? ""}/${staged.metadata.name}`, `${kind} ${namespace ? `${namespace}/` : ""}${staged.metadata.name}`, source);
                    if (namespace !== undefined) usedNamespaces.add(namespace);
                    stagedPolicies.push({ kind, ...(namespace !== undefined ? { namespace } : {}), name: staged.metadata.name, source });
                    continue;
                }
                case "Tier": {
                    const tier = parseShape(tierShape, object, source);
                    claim(`Tier/${tier.metadata.name}`, `Tier ${tier.metadata.name}`, source);
                    const defaultAction = tier.spec?.defaultAction ?? "Deny";
                    if (defaultAction !== "Deny" && defaultAction !== "Pass") {
                        throw fieldError(source, ["spec", "defaultAction"], `expected Deny or Pass, found ${JSON.stringify(defaultAction)}`);
                    }
                    tiers.set(tier.metadata.name, {
                        name: tier.metadata.name,
                        order: tier.spec?.order ?? Infinity,
                        defaultAction,
                        source,
                    });
                    continue;
                }
                case "IPPool": {
                    // Calico allocates pod IPs from its enabled IPPools (IPPool resource: spec.cidr, spec.disabled).
                    const pool = parseShape(ipPoolShape, object, source);
                    if (pool.spec.disabled === true) continue;
                    const parsed = parseCidr(pool.spec.cidr);
                    if (typeof parsed === "string") throw fieldError(source, ["spec", "cidr"], parsed);
                    if (parsed.family === "ipv4") podPools = unionIntervals(podPools, [parsed.range[0], parsed.range[1]]);
                    continue;
                }
                case "NetworkSet":
                case "GlobalNetworkSet": {
                    const set = parseShape(networkSetShape, object, source);
                    const namespace = kind === "NetworkSet" ? (set.metadata.namespace ?? "default") : undefined;
                    if (namespace !== undefined) usedNamespaces.add(namespace);
                    claim(`${kind}/${namespace ?? ""}/${set.metadata.name}`, `${kind} ${set.metadata.name}`, source);
                    let nets: Intervals = [];
                    (set.spec?.nets ?? []).forEach((text, index) => {
                        const parsed = parseCidr(text, true);
                        if (typeof parsed === "string") throw fieldError(source, ["spec", "nets", index], parsed);
                        if (parsed.family === "ipv6") {
                            warnings.push({ source, line: source?.lineOf?.(["spec", "nets", index]), message: `IPv6 net ${text} is not analysed` });
                            return;
                        }
                        nets = unionIntervals(nets, [parsed.range[0], parsed.range[1]]);
                    });
                    networkSets.push({ namespace, name: set.metadata.name, labels: labelsOf(set.metadata.labels), nets });
                    continue;
                }
            }
            skipUnsupported(kind, source);
            continue;
        }
        switch (kind) {
            case "NetworkPolicy": {
                if (group !== "networking.k8s.io" && group !== "extensions") break;
                const policy = parseShape(networkPolicyShape, object, source);
                const namespace = policy.metadata.namespace ?? "default";
                usedNamespaces.add(namespace);
                claim(`NetworkPolicy/${namespace}/${policy.metadata.name}`, `NetworkPolicy ${namespace}/${policy.metadata.name}`, source);
                policies.push({ kind: "NetworkPolicy", object: policy, source });
                continue;
            }
            case "Namespace": {
                const namespace = parseShape(metadataOnlyShape, object, source);
                claim(`Namespace/${namespace.metadata.name}`, `Namespace ${namespace.metadata.name}`, source);
                declaredNamespaces.set(namespace.metadata.name, labelsOf(namespace.metadata.labels));
                continue;
            }
            case "ServiceAccount": {
                const account = parseShape(metadataOnlyShape, object, source);
                const namespace = account.metadata.namespace ?? "default";
                usedNamespaces.add(namespace);
                serviceAccounts.set(`${namespace}/${account.metadata.name}`, labelsOf(account.metadata.labels));
                continue;
            }
            case "Service": {
                const service = parseShape(serviceShape, object, source);
                const namespace = service.metadata.namespace ?? "default";
                usedNamespaces.add(namespace);
                claim(`Service/${namespace}/${service.metadata.name}`, `Service ${namespace}/${service.metadata.name}`, source);
                services.set(`${namespace}/${service.metadata.name}`, {
                    namespace,
                    name: service.metadata.name,
                    selector: service.spec?.selector ? labelsOf(service.spec.selector) : undefined,
                    ports: (service.spec?.ports ?? []).map((port) => ({
                        port: port.port,
                        targetPort: port.targetPort ?? port.port,
                        protocol: port.protocol ?? "TCP",
                    })),
                });
                continue;
            }
            case "Pod": {
                const pod = parseShape(podShape, object, source);
                addWorkload("Pod", pod.metadata, pod.metadata.labels, pod.spec, source, podIPv4(pod.status, source));
                continue;
            }
            case "CronJob": {
                const cronJob = parseShape(cronJobShape, object, source);
                const template = cronJob.spec?.jobTemplate?.spec?.template;
                addWorkload("CronJob", cronJob.metadata, template?.metadata?.labels, template?.spec, source);
                continue;
            }
            case "Deployment":
            case "ReplicaSet":
            case "StatefulSet":
            case "DaemonSet":
            case "Job":
            case "ReplicationController": {
                const workload = parseShape(templatedWorkloadShape, object, source);
                const template = workload.spec?.template;
                addWorkload(kind, workload.metadata, template?.metadata?.labels, template?.spec, source, undefined, workload.spec?.replicas);
                continue;
            }
        }
        skipUnsupported(kind, source);
    }

    for (const [kind, { source, count }] of unsupported) {
        warnings.push({ source, message: `skipping unsupported kind ${kind}${count > 1 ? ` (${count} objects)` : ""}` });
    }

    // Pods under their controlling owner, as far up as the owners are present (see workloads.ts).
    const grouping = groupWorkloads(pending);
    warnings.push(...grouping.warnings);
    for (const group of grouping.groups) {
        if (group.hostNetwork) {
            warnings.push({
                source: group.source,
                message: `${group.display} runs with hostNetwork: true: Calico gives it no workload endpoint, so no policy applies to it and its traffic is its node's; reported as unpoliced (--explain says why)`,
            });
        }
    }
    const workloads: Endpoint[] = grouping.groups.map((group, id) => {
        const calicoLabels = new Map(group.labels);
        calicoLabels.set("projectcalico.org/namespace", group.namespace);
        calicoLabels.set("projectcalico.org/orchestrator", "k8s");
        calicoLabels.set("projectcalico.org/serviceaccount", group.serviceAccount);
        return {
            id,
            kind: group.kind,
            namespace: group.namespace,
            name: group.name,
            display: group.display,
            labels: group.labels,
            calicoLabels,
            ports: group.ports,
            serviceAccount: group.serviceAccount,
            hostNetwork: group.hostNetwork,
            pods: group.pods,
            podIPs: group.podIPs,
            source: group.source,
        };
    });

    const namespaces = new Map<string, NamespaceInfo>();
    const names = [...new Set([...declaredNamespaces.keys(), ...usedNamespaces])].sort(compareText);
    for (const name of names) {
        const labels = new Map(declaredNamespaces.get(name) ?? []);
        labels.set(NAMESPACE_NAME_LABEL, name);
        const calicoLabels = new Map(labels);
        calicoLabels.set("projectcalico.org/name", name);
        namespaces.set(name, { name, labels, calicoLabels });
    }

    if (!tiers.has("default")) tiers.set("default", { name: "default", order: DEFAULT_TIER_ORDER, defaultAction: "Deny" });

    return {
        workloads,
        podWorkloads: grouping.podWorkloads,
        namespaces,
        services,
        serviceAccounts,
        networkSets,
        tiers,
        podAddressSpace: podPools.length > 0 ? podPools : ALL_IPV4,
        policies,
        stagedPolicies,
        warnings,
    };
}

/** Plain code-unit string order (locale-independent, so output is the same everywhere). */
export function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
