/**
 * Shapes of the Kubernetes and Calico objects the analyzer reads, as small validating readers: each
 * checks the fields the analyzer uses and returns them typed (unknown fields are ignored; `null` counts as
 * absent, as YAML writes empty fields that way), or throws with the path of the first offending field.
 *
 * Why not zod, which the rest of the project uses for stack config: validating manifests with zod took a
 * third of the whole analysis at N=100 in the benchmark (its generic parse path runs cold in a one-shot
 * CLI), which put the 0.3 s target at risk. These readers cover the dozen fields we read and keep the same
 * error form: "spec.ingress[0].ports[0].port: expected number or string, found boolean".
 */
import { type FieldPath, type SourceLocation, fieldError } from "./errors";

/** A validation failure: where, and why. */
class ShapeError extends Error {
    constructor(
        readonly path: FieldPath,
        readonly reason: string,
    ) {
        super(reason);
    }
}

/** Where a value sits: its parent place and its key there. Paths are only materialised for errors. */
interface Place {
    readonly parent: Place | undefined;
    readonly key: string | number;
}

function pathOf(at: Place | undefined, key: string | number | undefined): FieldPath {
    const path: (string | number)[] = key === undefined ? [] : [key];
    for (let place = at; place !== undefined; place = place.parent) path.unshift(place.key);
    return path;
}

function placeOf(at: Place | undefined, key: string | number | undefined): Place | undefined {
    return key === undefined ? at : { parent: at, key };
}

/** Reads and validates the value found under `key` of the place `at`. */
type Reader<T> = (value: unknown, at: Place | undefined, key: string | number | undefined) => T;

function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

function fail(at: Place | undefined, key: string | number | undefined, reason: string): never {
    throw new ShapeError(pathOf(at, key), reason);
}

function expected(what: string, value: unknown, at: Place | undefined, key: string | number | undefined): never {
    return fail(at, key, value === undefined ? `required field is missing (expected ${what})` : `expected ${what}, found ${describe(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Absent (undefined or null) becomes undefined; anything else goes through the reader. */
function optional<T>(read: Reader<T>): Reader<T | undefined> {
    return (value, at, key) => (value === undefined || value === null ? undefined : read(value, at, key));
}

const string: Reader<string> = (value, at, key) => (typeof value === "string" ? value : expected("string", value, at, key));

const nonEmptyString: Reader<string> = (value, at, key) => {
    const text = string(value, at, key);
    return text === "" ? fail(at, key, "must not be empty") : text;
};

const boolean: Reader<boolean> = (value, at, key) => (typeof value === "boolean" ? value : expected("boolean", value, at, key));

const number: Reader<number> = (value, at, key) =>
    typeof value === "number" && Number.isFinite(value) ? value : expected("number", value, at, key);

function integer(min = -Infinity, max = Infinity): Reader<number> {
    return (value, at, key) => {
        const result = number(value, at, key);
        if (!Number.isInteger(result)) fail(at, key, `expected an integer, found ${result}`);
        if (result < min || result > max) fail(at, key, `must be between ${min} and ${max}, found ${result}`);
        return result;
    };
}

const anyInteger = integer();

const port = integer(1, 65535);

const integerOrString: Reader<number | string> = (value, at, key) =>
    typeof value === "string" ? value : typeof value === "number" ? anyInteger(value, at, key) : expected("number or string", value, at, key);

function oneOf<T extends string>(...options: T[]): Reader<T> {
    return (value, at, key) =>
        typeof value === "string" && (options as string[]).includes(value)
            ? (value as T)
            : fail(at, key, `expected one of ${options.map((option) => JSON.stringify(option)).join("|")}, found ${JSON.stringify(value)}`);
}

function array<T>(read: Reader<T>): Reader<T[]> {
    return (value, at, key) => {
        if (!Array.isArray(value)) return expected("array", value, at, key);
        const here = placeOf(at, key);
        const result: T[] = [];
        for (let index = 0; index < value.length; index++) result.push(read(value[index], here, index));
        return result;
    };
}

const stringMap: Reader<Record<string, string>> = (value, at, key) => {
    if (!isRecord(value)) return expected("object", value, at, key);
    for (const name in value) {
        if (typeof value[name] !== "string") expected("string", value[name], placeOf(at, key), name);
    }
    return value as Record<string, string>;
};

/** An object reader from field readers; only the listed fields are kept. */
function object<T>(fields: { [K in keyof T]: Reader<T[K]> }): Reader<T> {
    const entries = Object.entries(fields) as [string, Reader<unknown>][];
    return (value, at, key) => {
        if (!isRecord(value)) return expected("object", value, at, key);
        const here = placeOf(at, key);
        const result: Record<string, unknown> = {};
        for (const [name, read] of entries) {
            const field = read(value[name], here, name);
            if (field !== undefined) result[name] = field;
        }
        return result as T;
    };
}

/** Kept as found (fields the analyzer only tests for presence); null counts as absent. */
const anything: Reader<unknown> = (value) => (value === null ? undefined : value);

// ---- Kubernetes ---------------------------------------------------------------------------------

/** Object metadata. */
export interface MetadataObject {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly kind: string; readonly name: string; readonly controller?: boolean }[];
}

const metadata = object<MetadataObject>({
    name: nonEmptyString,
    namespace: optional(nonEmptyString),
    labels: optional(stringMap),
    ownerReferences: optional(array(object({ kind: string, name: string, controller: optional(boolean) }))),
});

interface ContainerObject {
    readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: "TCP" | "UDP" | "SCTP" }[];
}

const container = object<ContainerObject>({
    ports: optional(array(object({ name: optional(string), containerPort: port, protocol: optional(oneOf("TCP", "UDP", "SCTP")) }))),
});

/** A pod spec: containers (for ports) and the service account. */
export interface PodSpecObject {
    readonly containers?: readonly ContainerObject[];
    readonly initContainers?: readonly ContainerObject[];
    readonly serviceAccountName?: string;
    readonly serviceAccount?: string;
    /** The pod shares its node's network namespace: Calico gives it no workload endpoint. */
    readonly hostNetwork?: boolean;
}

const podSpec = object<PodSpecObject>({
    containers: optional(array(container)),
    initContainers: optional(array(container)),
    serviceAccountName: optional(string),
    serviceAccount: optional(string),
    hostNetwork: optional(boolean),
});

interface PodTemplateObject {
    readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
    readonly spec?: PodSpecObject;
}

const podTemplate = object<PodTemplateObject>({ metadata: optional(object({ labels: optional(stringMap) })), spec: optional(podSpec) });

/** A pod's status: only its addresses matter (Calico `nets`/`notNets` match pods by IP). */
export interface PodStatusObject {
    readonly podIP?: string;
    readonly podIPs?: readonly { readonly ip: string }[];
}

const podStatus = object<PodStatusObject>({ podIP: optional(string), podIPs: optional(array(object({ ip: string }))) });

/** A bare Pod. */
export const podShape = object<{ metadata: MetadataObject; spec?: PodSpecObject; status?: PodStatusObject }>({
    metadata,
    spec: optional(podSpec),
    status: optional(podStatus),
});

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController. */
export const templatedWorkloadShape = object<{ metadata: MetadataObject; spec?: { replicas?: number; template?: PodTemplateObject } }>({
    metadata,
    spec: optional(object({ replicas: optional(integer(0)), template: optional(podTemplate) })),
});

/** CronJob: the pod template sits under spec.jobTemplate.spec.template. */
export const cronJobShape = object<{ metadata: MetadataObject; spec?: { jobTemplate?: { spec?: { template?: PodTemplateObject } } } }>({
    metadata,
    spec: optional(object({ jobTemplate: optional(object({ spec: optional(object({ template: optional(podTemplate) })) })) })),
});

/** Namespace and ServiceAccount: only metadata matters. */
export const metadataOnlyShape = object<{ metadata: MetadataObject }>({ metadata });

interface ServicePortObject {
    readonly name?: string;
    readonly port: number;
    readonly targetPort?: number | string;
    readonly protocol?: "TCP" | "UDP" | "SCTP";
}

/** Service: selector and ports (for Calico `services` rule matches). */
export const serviceShape = object<{ metadata: MetadataObject; spec?: { selector?: Record<string, string>; ports?: ServicePortObject[] } }>({
    metadata,
    spec: optional(
        object({
            selector: optional(stringMap),
            ports: optional(
                array(
                    object<ServicePortObject>({
                        name: optional(string),
                        port,
                        targetPort: optional((value, at, key) => (typeof value === "number" ? port(value, at, key) : integerOrString(value, at, key))),
                        protocol: optional(oneOf("TCP", "UDP", "SCTP")),
                    }),
                ),
            ),
        }),
    ),
});

/** A Kubernetes LabelSelector. */
export interface LabelSelectorObject {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

const labelSelector = object<LabelSelectorObject>({
    matchLabels: optional(stringMap),
    matchExpressions: optional(array(object({ key: string, operator: string, values: optional(array(string)) }))),
});

/** One peer of a Kubernetes NetworkPolicy rule. */
export interface NetworkPolicyPeerObject {
    readonly podSelector?: LabelSelectorObject;
    readonly namespaceSelector?: LabelSelectorObject;
    readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

const networkPolicyPeer = object<NetworkPolicyPeerObject>({
    podSelector: optional(labelSelector),
    namespaceSelector: optional(labelSelector),
    ipBlock: optional(object({ cidr: string, except: optional(array(string)) })),
});

/** One port of a Kubernetes NetworkPolicy rule. */
export interface NetworkPolicyPortObject {
    readonly protocol?: string;
    readonly port?: number | string;
    readonly endPort?: number;
}

const networkPolicyPort = object<NetworkPolicyPortObject>({ protocol: optional(string), port: optional(integerOrString), endPort: optional(anyInteger) });

/** networking.k8s.io/v1 NetworkPolicy. */
export interface NetworkPolicyObject {
    readonly metadata: MetadataObject;
    readonly spec?: {
        readonly podSelector?: LabelSelectorObject;
        readonly policyTypes?: readonly string[];
        readonly ingress?: readonly { readonly from?: readonly NetworkPolicyPeerObject[]; readonly ports?: readonly NetworkPolicyPortObject[] }[];
        readonly egress?: readonly { readonly to?: readonly NetworkPolicyPeerObject[]; readonly ports?: readonly NetworkPolicyPortObject[] }[];
    };
}

/** Reads a Kubernetes NetworkPolicy. */
export const networkPolicyShape = object<NetworkPolicyObject>({
    metadata,
    spec: optional(
        object({
            podSelector: optional(labelSelector),
            policyTypes: optional(array(string)),
            ingress: optional(array(object({ from: optional(array(networkPolicyPeer)), ports: optional(array(networkPolicyPort)) }))),
            egress: optional(array(object({ to: optional(array(networkPolicyPeer)), ports: optional(array(networkPolicyPort)) }))),
        }),
    ),
});

// ---- Calico -------------------------------------------------------------------------------------

/** A Calico rule's source or destination. */
export interface CalicoEntityObject {
    readonly nets?: readonly string[];
    readonly notNets?: readonly string[];
    readonly selector?: string;
    readonly notSelector?: string;
    readonly namespaceSelector?: string;
    readonly ports?: readonly (number | string)[];
    readonly notPorts?: readonly (number | string)[];
    readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: string };
    readonly services?: { readonly name: string; readonly namespace?: string };
}

const calicoEntity = object<CalicoEntityObject>({
    nets: optional(array(string)),
    notNets: optional(array(string)),
    selector: optional(string),
    notSelector: optional(string),
    namespaceSelector: optional(string),
    ports: optional(array(integerOrString)),
    notPorts: optional(array(integerOrString)),
    serviceAccounts: optional(object({ names: optional(array(string)), selector: optional(string) })),
    services: optional(object({ name: string, namespace: optional(string) })),
});

/** A Calico rule. */
export interface CalicoRuleObject {
    readonly action: string;
    readonly protocol?: string | number;
    readonly notProtocol?: string | number;
    readonly ipVersion?: number;
    readonly icmp?: unknown;
    readonly notICMP?: unknown;
    readonly http?: unknown;
    readonly source?: CalicoEntityObject;
    readonly destination?: CalicoEntityObject;
}

const calicoRule = object<CalicoRuleObject>({
    action: string,
    protocol: optional(integerOrString),
    notProtocol: optional(integerOrString),
    ipVersion: optional(anyInteger),
    icmp: anything,
    notICMP: anything,
    http: anything,
    source: optional(calicoEntity),
    destination: optional(calicoEntity),
});

/** Calico NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3 and crd.projectcalico.org/v1 share it). */
export interface CalicoPolicyObject {
    readonly metadata: MetadataObject;
    readonly spec?: {
        readonly tier?: string;
        readonly order?: number;
        readonly selector?: string;
        readonly namespaceSelector?: string;
        readonly serviceAccountSelector?: string;
        readonly types?: readonly string[];
        readonly ingress?: readonly CalicoRuleObject[];
        readonly egress?: readonly CalicoRuleObject[];
        readonly doNotTrack?: boolean;
        readonly preDNAT?: boolean;
        readonly applyOnForward?: boolean;
    };
}

/** Reads a Calico NetworkPolicy or GlobalNetworkPolicy. */
export const calicoPolicyShape = object<CalicoPolicyObject>({
    metadata,
    spec: optional(
        object({
            tier: optional(string),
            order: optional(number),
            selector: optional(string),
            namespaceSelector: optional(string),
            serviceAccountSelector: optional(string),
            types: optional(array(string)),
            ingress: optional(array(calicoRule)),
            egress: optional(array(calicoRule)),
            doNotTrack: optional(boolean),
            preDNAT: optional(boolean),
            applyOnForward: optional(boolean),
        }),
    ),
});

/** Calico Tier. */
export const tierShape = object<{ metadata: MetadataObject; spec?: { order?: number; defaultAction?: string } }>({
    metadata,
    spec: optional(object({ order: optional(number), defaultAction: optional(string) })),
});

/** Calico GlobalNetworkSet and NetworkSet. */
export const networkSetShape = object<{ metadata: MetadataObject; spec?: { nets?: string[] } }>({
    metadata,
    spec: optional(object({ nets: optional(array(string)) })),
});

/** Validates an object against a shape; throws InputError at the first offending field ("file:line: spec.x: expected ..."). */
export function parseShape<T>(shape: Reader<T>, value: unknown, source: SourceLocation | undefined): T {
    try {
        return shape(value, undefined, undefined);
    } catch (error) {
        if (error instanceof ShapeError) throw fieldError(source, error.path, error.reason);
        throw error;
    }
}

/** Calico IPPool: the addresses pods get (only enabled IPv4 pools matter here). */
export const ipPoolShape = object<{ metadata: MetadataObject; spec: { cidr: string; disabled?: boolean } }>({
    metadata,
    spec: object({ cidr: string, disabled: optional(boolean) }),
});
