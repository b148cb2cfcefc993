import { z } from "zod";
import { ProblemList } from "../common";
import { cidrProblem, parseIpv4Block, Ipv4Block, contains } from "../common";
import { FqdnRule, fqdnRuleSchema, normaliseFqdnRules } from "../common";
import { calicoPolicyProblems, ORDER_GUARDRAILS } from "../calico";
import { SYSTEM_NAMESPACES } from "../calico";
import { platformAddressProblem, WIRESERVER_ADDRESS } from "../azure";

/** Namespaces that belong to Kubernetes, AKS, Calico or add-ons (one list, with sources, in core/calico/systemNamespaces.ts). */
export { SYSTEM_NAMESPACES } from "../calico";

/** RFC 1918 private ranges, plus link-local (includes the instance metadata endpoint 169.254.169.254). */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] as const;

/** Azure's platform endpoint (DNS, health, wire server); workloads have no business talking to it directly. */
export const AZURE_PLATFORM_ADDRESS = WIRESERVER_ADDRESS;
/** Shared address space (RFC 6598), never the internet. */
export const SHARED_ADDRESS_SPACE = "100.64.0.0/10";

/** Kubernetes names: DNS-1123 labels. */
const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "expected a DNS-1123 label: lowercase letters, digits and inner hyphens");
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, "expected a Kubernetes label key such as app or app.kubernetes.io/name");
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, "expected a Kubernetes label value (at most 63 letters, digits, '-', '_', '.')");
const labels = z.record(labelKey, labelValue);
const protocol = z.enum(["TCP", "UDP", "SCTP"]);
const portNumber = z.number().int().min(1).max(65535);

const portSchema = z.union([
    portNumber,
    z.strictObject({
        /** Destination port. */
        port: portNumber,
        /** Last port of a range starting at `port`. */
        endPort: portNumber.optional(),
        protocol: protocol.default("TCP"),
    }),
], { error: "expected a port number (TCP) or {port, endPort, protocol: TCP, UDP or SCTP}" });

const containerPortSchema = z.strictObject({
    /** Port the container listens on. */
    port: portNumber,
    protocol: protocol.default("TCP"),
    /** Optional port name (IANA_SVC_NAME: at most 15 characters). */
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/, "expected a port name of at most 15 lowercase letters, digits or hyphens").optional(),
});

const cidrSchema = z.string().superRefine((value, context) => {
    const problem = cidrProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
});

const egressSchema = z.strictObject({
    /** Internet host names, filtered by the firewall; opens TCP egress to public addresses on these ports. */
    fqdns: z.array(fqdnRuleSchema).default([]),
    /** Address ranges (inside or outside Azure) with their ports. */
    cidrs: z.array(z.strictObject({ cidr: cidrSchema, ports: z.array(portSchema).min(1) })).default([]),
    /** May reach the Kubernetes API server. */
    kubernetesApi: z.boolean().default(false),
});

/** Sources outside the declared flows: a declared namespace (optionally some of its pods) or an address range. */
const ingressFromSchema = z
    .array(
        z.strictObject({
            namespace: dnsLabel.optional(),
            podLabels: labels.optional(),
            cidr: cidrSchema.optional(),
            ports: z.array(portSchema).min(1),
        }),
    )
    .default([]);

const workloadSchema = z.strictObject({
    name: dnsLabel,
    /** Pod labels that identify the workload; by convention include tier=web|api|data. */
    labels: labels.refine((value) => Object.keys(value).length > 0, "expected at least one label"),
    /** Container ports, used to resolve named ports and to build representative pods. */
    ports: z.array(containerPortSchema).default([]),
    /** Ingress from outside the declared flows, e.g. an ingress controller's namespace or an internal range. */
    ingressFrom: ingressFromSchema,
    egress: egressSchema.default({ fqdns: [], cidrs: [], kubernetesApi: false }),
    /** Explicit override: lets a tier=data workload have internet egress. */
    allowDataTierInternetEgress: z.boolean().default(false),
});

/** Policy kinds an override may add to a namespace's set. */
export const OVERRIDE_API_VERSIONS = ["networking.k8s.io/v1", "crd.projectcalico.org/v1"] as const;

/** Kubernetes object names: DNS-1123 subdomains (Calico v1 overrides are further limited to labels, see validateIntent). */
const dnsSubdomain = z.string().max(253).regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "expected a DNS-1123 name: lowercase letters, digits, inner hyphens and dots");

const overrideSchema = z.strictObject({
    apiVersion: z.enum(OVERRIDE_API_VERSIONS),
    kind: z.literal("NetworkPolicy"),
    metadata: z.strictObject({ name: dnsSubdomain, labels: labels.optional() }),
    spec: z.record(z.string(), z.unknown()),
});

/** Pod Security Standards levels a declared namespace may enforce; both forbid hostNetwork, hostPID, hostIPC and privileged pods. */
export const POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;

const namespaceSchema = z.strictObject({
    name: dnsLabel,
    /** Extra labels on the Namespace. */
    labels: labels.default({}),
    /** Rollout mode for this namespace; defaults to segmentation.defaultMode. */
    mode: z.enum(["audit", "enforce"]).optional(),
    /** Pod Security Admission level the namespace enforces (Kubernetes Pod Security Standards). */
    podSecurity: z.enum(POD_SECURITY_LEVELS).default("baseline"),
    workloads: z.array(workloadSchema).min(1),
    /**
     * Escape hatch: raw NetworkPolicies (Kubernetes or Calico) added to the set for what the intent cannot
     * express. They count against the budget, and the intent check still proves the declared flows.
     */
    overrides: z.array(overrideSchema).default([]),
});

const flowSchema = z.strictObject({
    /** Client workload, `namespace/workload`. */
    from: z.string(),
    /** Server workload, `namespace/workload`. */
    to: z.string(),
    ports: z.array(portSchema).min(1),
});

const infrastructureSchema = z.strictObject({
    /** The infrastructure namespace, e.g. monitoring or logging. */
    name: dnsLabel,
    /** Which of its pods the exemptions apply to; all pods of the namespace when omitted. */
    podLabels: labels.optional(),
    /** Ports these pods may reach on every app pod (e.g. metrics scraping). */
    podPorts: z.array(portSchema).default([]),
    /** Where these pods may send data (e.g. a log sink). */
    egress: egressSchema.default({ fqdns: [], cidrs: [], kubernetesApi: false }),
    /** The only sources that may reach the namespace's pods (nothing else does, in any mode). */
    ingressFrom: ingressFromSchema,
});

const peerSchema = z.strictObject({
    /** A namespace the platform needs but the app does not own, e.g. ingress-nginx or cert-manager. */
    name: dnsLabel,
    /** Which of its pods the allowances apply to; all pods of the namespace when omitted. */
    podLabels: labels.optional(),
    /** Sources that may reach these pods (e.g. the load balancer's clients). */
    ingressFrom: ingressFromSchema,
    /** Where these pods may go besides the app workloads that accept them (`ingressFrom` with this namespace). */
    egress: egressSchema.default({ fqdns: [], cidrs: [], kubernetesApi: false }),
});

/** The raw shape of `aks-zero-trust:segmentation`. */
export const intentSchema = z.strictObject({
    /** Rollout mode for namespaces that do not set one. */
    defaultMode: z.enum(["audit", "enforce"]).default("audit"),
    namespaces: z.array(namespaceSchema).default([]),
    flows: z.array(flowSchema).default([]),
    infrastructure: z.array(infrastructureSchema).default([]),
    /** Platform namespaces the app depends on (ingress controller, cert-manager): allowed explicitly, flow by flow. */
    peers: z.array(peerSchema).default([]),
});

type RawIntent = z.output<typeof intentSchema>;
type RawPort = z.output<typeof portSchema>;

/** A port or port range on one protocol. */
export interface PortSpec {
    readonly protocol: "TCP" | "UDP" | "SCTP";
    readonly port: number;
    readonly endPort?: number;
}

/** A workload's container port. */
export interface ContainerPort {
    readonly port: number;
    readonly protocol: "TCP" | "UDP" | "SCTP";
    readonly name?: string;
}

/** Egress allowlists of a workload or infrastructure namespace. */
export interface EgressIntent {
    readonly fqdns: readonly FqdnRule[];
    readonly cidrs: ReadonlyArray<{ readonly cidr: string; readonly ports: readonly PortSpec[] }>;
    readonly kubernetesApi: boolean;
}

/** Traffic a workload accepts from outside the declared flows. */
export interface ExternalIngress {
    readonly namespace?: string;
    readonly podLabels?: Readonly<Record<string, string>>;
    readonly cidr?: string;
    readonly ports: readonly PortSpec[];
}

/** One declared workload. */
export interface WorkloadIntent {
    readonly namespace: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly ports: readonly ContainerPort[];
    readonly ingressFrom: readonly ExternalIngress[];
    readonly egress: EgressIntent;
    readonly allowDataTierInternetEgress: boolean;
}

/** One app namespace with its policy set. */
export interface NamespaceIntent {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly mode: "audit" | "enforce";
    /** Pod Security Admission level enforced on the namespace. */
    readonly podSecurity: (typeof POD_SECURITY_LEVELS)[number];
    readonly workloads: readonly WorkloadIntent[];
    /** Raw policies added to the set, sorted by name. */
    readonly overrides: readonly PolicyOverride[];
}

/** A raw NetworkPolicy (Kubernetes or Calico) added to a namespace's set. */
export interface PolicyOverride {
    readonly apiVersion: (typeof OVERRIDE_API_VERSIONS)[number];
    readonly kind: "NetworkPolicy";
    readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
    readonly spec: Readonly<Record<string, unknown>>;
}

/** An allowed app flow between two declared workloads. */
export interface FlowIntent {
    readonly from: { readonly namespace: string; readonly workload: string };
    readonly to: { readonly namespace: string; readonly workload: string };
    readonly ports: readonly PortSpec[];
}

/** An infrastructure namespace and its cluster-wide exemptions. */
export interface InfrastructureIntent {
    readonly name: string;
    readonly podLabels?: Readonly<Record<string, string>>;
    readonly podPorts: readonly PortSpec[];
    readonly egress: EgressIntent;
    /** The only sources that may reach its pods. */
    readonly ingressFrom: readonly ExternalIngress[];
}

/** A platform namespace the app depends on (ingress controller, cert-manager), allowed flow by flow. */
export interface PeerIntent {
    readonly name: string;
    readonly podLabels?: Readonly<Record<string, string>>;
    /** Sources that may reach its pods. */
    readonly ingressFrom: readonly ExternalIngress[];
    /** Its egress besides the app workloads that accept it. */
    readonly egress: EgressIntent;
}

/** Cluster facts the rendered policies depend on. */
export interface ClusterNetworkFacts {
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly vnetCidr: string;
    readonly localDns: boolean;
    /** AKS's network policy engine (`cluster.networkPolicy`). */
    readonly networkPolicy: "calico" | "cilium" | "none";
    /** Who runs Calico (`cluster.calico.mode`): AKS (`networkPolicy: calico`), or this stack on `networkPolicy: none`. */
    readonly calicoMode: "aks-managed" | "self-managed";
    /** The system namespaces that exist on this cluster (its add-ons decide): the baseline and guardrails leave them alone. */
    readonly exemptNamespaces: readonly string[];
}

/** The stack config key that chooses the policy engine. */
export const NETWORK_POLICY_PATH = "aks-zero-trust:cluster.networkPolicy";

/**
 * Why the rendered policies would not be enforced on this cluster, if they would not: they are Calico objects
 * (crd.projectcalico.org/v1), which only Calico reads. AKS-managed Calico is `networkPolicy: calico`; with `none`
 * nothing enforces any policy, and with `cilium` the Calico objects are inert. The one place that decides it, for
 * config validation and the intent check. Self-managed Calico (`cluster.calico.mode: self-managed`) is the second way
 * to say yes: AKS installs no engine (`none`) and the stack installs Calico itself.
 */
export function policyEnforcementProblem(cluster: ClusterNetworkFacts): string | undefined {
    if (cluster.networkPolicy === "calico" && cluster.calicoMode === "aks-managed") return undefined;
    if (cluster.networkPolicy === "none" && cluster.calicoMode === "self-managed") return undefined;
    const what = cluster.networkPolicy === "none" ? "no network policy engine runs, so no policy is enforced" : "Cilium does not read Calico policies, so the Calico objects the intent renders are inert";
    return `is ${JSON.stringify(cluster.networkPolicy)}: ${what}; the segmentation needs networkPolicy: calico (AKS-managed Calico) or cluster.calico.mode: self-managed`;
}

/** Names of the policies every namespace set renders (core/policies names them from here); overrides must pick others. */
export const GENERATED_POLICY_NAMES = {
    allowDns: "allow-dns",
    allowKubernetesApi: "allow-kubernetes-api",
    denyKubernetesApi: "deny-kubernetes-api",
    defaultDenyAll: "default-deny-all",
    logDenied: "log-denied",
} as const;
/** Prefix of the per-workload policies (`workload-<name>`). */
export const WORKLOAD_POLICY_PREFIX = "workload-";

/** The validated east-west intent. Namespaces, workloads and flows are sorted by name. */
export interface SegmentationIntent {
    /** The stack's default mode; the cluster baseline follows it. */
    readonly defaultMode: "audit" | "enforce";
    readonly namespaces: readonly NamespaceIntent[];
    readonly flows: readonly FlowIntent[];
    readonly infrastructure: readonly InfrastructureIntent[];
    readonly peers: readonly PeerIntent[];
    readonly cluster: ClusterNetworkFacts;
}

/**
 * A namespace no intent declares, for analysis only: the plan puts a representative pod there to prove that the
 * cluster baseline isolates it. Reserved so that no declared namespace takes the name.
 */
export const UNDECLARED_NAMESPACE = "undeclared-namespace";

/** Pod Security Admission's namespace labels (`pod-security.kubernetes.io/enforce`, ...). */
export const POD_SECURITY_LABEL_PREFIX = "pod-security.kubernetes.io/";

/** Where the intent lives in stack config, for error paths. */
export const SEGMENTATION_PATH = "aks-zero-trust:segmentation";
const PATH = SEGMENTATION_PATH;

/** Names the generated policies use; overrides must pick others. */
const RESERVED_POLICY_NAMES: readonly string[] = Object.values(GENERATED_POLICY_NAMES);

/** Cross-checks the parsed intent (references, names, forbidden flows) and normalises it. */
export function validateIntent(raw: RawIntent, cluster: ClusterNetworkFacts, problems: ProblemList): SegmentationIntent {
    const systemNamespaces = new Set<string>(SYSTEM_NAMESPACES);
    const workloadsByRef = new Map<string, WorkloadIntent>();
    const namespaceNames = new Set<string>();
    const namespaces: NamespaceIntent[] = [];

    raw.namespaces.forEach((namespace, nsIndex) => {
        const nsPath = `${PATH}.namespaces[${nsIndex}]`;
        if (systemNamespaces.has(namespace.name)) {
            problems.add(`${nsPath}.name`, `"${namespace.name}" is a system namespace; app policy sets must not touch ${SYSTEM_NAMESPACES.join(", ")}`);
        }
        if (namespace.name === UNDECLARED_NAMESPACE) {
            problems.add(`${nsPath}.name`, `"${UNDECLARED_NAMESPACE}" is reserved for the plan's proof that undeclared namespaces are isolated`);
        }
        if (namespaceNames.has(namespace.name)) {
            problems.add(`${nsPath}.name`, `duplicate namespace "${namespace.name}"`);
        }
        namespaceNames.add(namespace.name);
        for (const key of Object.keys(namespace.labels)) {
            if (key.startsWith(POD_SECURITY_LABEL_PREFIX)) {
                problems.add(`${nsPath}.labels.${key}`, `the stack sets the Pod Security Admission labels itself (enforce: ${namespace.podSecurity}); choose the level with podSecurity: baseline or restricted`);
            }
        }
        const workloadNames = new Set<string>();
        const workloads: WorkloadIntent[] = [];
        namespace.workloads.forEach((workload, wIndex) => {
            const wPath = `${nsPath}.workloads[${wIndex}]`;
            if (workloadNames.has(workload.name)) {
                problems.add(`${wPath}.name`, `duplicate workload "${workload.name}" in namespace ${namespace.name}`);
            }
            workloadNames.add(workload.name);
            const normalised = normaliseWorkload(namespace.name, workload, wPath, problems);
            workloads.push(normalised);
            workloadsByRef.set(`${namespace.name}/${workload.name}`, normalised);
        });
        checkDistinctSelectors(workloads, nsPath, problems);
        const overrideNames = new Set<string>(RESERVED_POLICY_NAMES);
        namespace.overrides.forEach((override, index) => {
            const oPath = `${nsPath}.overrides[${index}]`;
            if (overrideNames.has(override.metadata.name) || override.metadata.name.startsWith(WORKLOAD_POLICY_PREFIX)) {
                const owner = overrideNames.has(override.metadata.name) && !RESERVED_POLICY_NAMES.includes(override.metadata.name) ? "another override" : "a generated policy";
                problems.add(`${oPath}.metadata.name`, `"${override.metadata.name}" is already used by ${owner}`);
            }
            // crd.projectcalico.org/v1 objects are not defaulted: an empty `types` means both directions (REFERENCE.md section 2).
            if (override.apiVersion === "crd.projectcalico.org/v1") {
                if (typeof override.spec.order !== "number") problems.add(`${oPath}.spec.order`, "is required for Calico overrides (crd.projectcalico.org/v1 applies no defaults)");
                // The platform-address guardrail must decide first: an override ordered with or before it could allow IMDS.
                else if (override.spec.order <= ORDER_GUARDRAILS) problems.add(`${oPath}.spec.order`, `is ${override.spec.order}, but Calico overrides must order after the platform-address guardrail (order ${ORDER_GUARDRAILS}), which denies the instance metadata service and WireServer before anything can allow them; use an order above ${ORDER_GUARDRAILS}`);
                if (!Array.isArray(override.spec.types)) problems.add(`${oPath}.spec.types`, "is required for Calico overrides: list Ingress and/or Egress");
                checkCalicoOverride(override, oPath, problems);
            }
            overrideNames.add(override.metadata.name);
        });
        namespaces.push({
            name: namespace.name,
            labels: namespace.labels,
            mode: namespace.mode ?? raw.defaultMode,
            podSecurity: namespace.podSecurity,
            workloads: sortByName(workloads),
            overrides: [...namespace.overrides].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)),
        });
    });

    const flows: FlowIntent[] = [];
    const flowKeys = new Set<string>();
    raw.flows.forEach((flow, index) => {
        const fPath = `${PATH}.flows[${index}]`;
        const from = resolveWorkloadRef(flow.from, `${fPath}.from`, workloadsByRef, namespaceNames, problems);
        const to = resolveWorkloadRef(flow.to, `${fPath}.to`, workloadsByRef, namespaceNames, problems);
        const ports = normalisePorts(flow.ports, `${fPath}.ports`, problems);
        if (!from || !to) return;
        const key = `${flow.from} -> ${flow.to}`;
        if (flowKeys.has(key)) {
            problems.add(fPath, `duplicate flow ${key}; list all its ports in one entry`);
        }
        flowKeys.add(key);
        flows.push({ from, to, ports });
    });

    const infrastructure: InfrastructureIntent[] = [];
    raw.infrastructure.forEach((infra, index) => {
        const iPath = `${PATH}.infrastructure[${index}]`;
        if (systemNamespaces.has(infra.name)) {
            problems.add(`${iPath}.name`, `"${infra.name}" is a system namespace; infrastructure policies must not touch it`);
        }
        if (namespaceNames.has(infra.name)) {
            problems.add(`${iPath}.name`, `"${infra.name}" is declared both as an app namespace and as infrastructure`);
        }
        if (infra.name === UNDECLARED_NAMESPACE) {
            problems.add(`${iPath}.name`, `"${UNDECLARED_NAMESPACE}" is reserved for the plan's proof that undeclared namespaces are isolated`);
        }
        namespaceNames.add(infra.name);
        infrastructure.push({
            name: infra.name,
            podLabels: infra.podLabels,
            podPorts: normalisePorts(infra.podPorts, `${iPath}.podPorts`, problems),
            egress: normaliseEgress(infra.egress, `${iPath}.egress`, problems),
            ingressFrom: normaliseIngressFrom(infra.ingressFrom, `${iPath}.ingressFrom`, problems),
        });
    });

    const peers: PeerIntent[] = [];
    raw.peers.forEach((peer, index) => {
        const pPath = `${PATH}.peers[${index}]`;
        if (systemNamespaces.has(peer.name)) {
            problems.add(`${pPath}.name`, `"${peer.name}" is a system namespace; the cluster baseline leaves it alone, so it needs no peer entry`);
        }
        if (namespaceNames.has(peer.name) || peer.name === UNDECLARED_NAMESPACE) {
            problems.add(`${pPath}.name`, `"${peer.name}" is already declared (app namespace, infrastructure or peer) or reserved`);
        }
        namespaceNames.add(peer.name);
        peers.push({
            name: peer.name,
            podLabels: peer.podLabels,
            ingressFrom: normaliseIngressFrom(peer.ingressFrom, `${pPath}.ingressFrom`, problems),
            egress: normaliseEgress(peer.egress, `${pPath}.egress`, problems),
        });
    });

    // The cluster baseline denies every undeclared namespace: a source namespace must be declared to send.
    const checkSources = (entries: readonly ExternalIngress[], path: string) =>
        entries.forEach((entry, index) => {
            if (entry.namespace !== undefined && !namespaceNames.has(entry.namespace) && !systemNamespaces.has(entry.namespace)) {
                problems.add(`${path}[${index}].namespace`, `namespace "${entry.namespace}" is not declared: the cluster baseline denies its egress; declare it under segmentation.peers (with its podLabels) or as an app namespace`);
            }
        });
    raw.namespaces.forEach((namespace, nsIndex) =>
        namespace.workloads.forEach((workload, wIndex) => checkSources(workload.ingressFrom as ExternalIngress[], `${PATH}.namespaces[${nsIndex}].workloads[${wIndex}].ingressFrom`)),
    );
    raw.infrastructure.forEach((infra, index) => checkSources(infra.ingressFrom as ExternalIngress[], `${PATH}.infrastructure[${index}].ingressFrom`));
    raw.peers.forEach((peer, index) => checkSources(peer.ingressFrom as ExternalIngress[], `${PATH}.peers[${index}].ingressFrom`));

    return {
        defaultMode: raw.defaultMode,
        namespaces: sortByName(namespaces),
        flows: flows.sort((a, b) => flowSortKey(a).localeCompare(flowSortKey(b))),
        infrastructure: sortByName(infrastructure),
        peers: sortByName(peers),
        cluster,
    };
}

/** Ingress sources: a namespace (optionally with podLabels) or a CIDR, never the whole internet. */
function normaliseIngressFrom(entries: z.output<typeof ingressFromSchema>, path: string, problems: ProblemList): ExternalIngress[] {
    return entries.map((entry, index) => {
        const ePath = `${path}[${index}]`;
        const hasPods = entry.namespace !== undefined || entry.podLabels !== undefined;
        if (entry.cidr !== undefined && hasPods) {
            problems.add(ePath, "give either cidr or namespace/podLabels, not both");
        } else if (entry.cidr === undefined && !hasPods) {
            problems.add(ePath, "expected a namespace (optionally with podLabels) or a cidr");
        }
        if (entry.cidr !== undefined && entry.cidr !== "" && cidrProblem(entry.cidr) === undefined && parseIpv4Block(entry.cidr).prefix === 0) {
            problems.add(`${ePath}.cidr`, `${entry.cidr} would let the whole internet into the cluster`);
        }
        return { ...entry, ports: normalisePorts(entry.ports, `${ePath}.ports`, problems) };
    });
}

/**
 * A Calico override as Felix will read it. Felix 3.29-3.31 takes a crd.projectcalico.org/v1 policy's tier from
 * its name (libcalico-go lib/names/policy.go TierFromPolicyName: the part before the first dot, `default` without
 * one) and ignores spec.tier; overrides belong to the namespace set, in the default tier. Then the CRD schema
 * and Calico's validator rules (core/calico/calicoValidation.ts): the v1 path validates nothing on the cluster.
 */
function checkCalicoOverride(override: RawIntent["namespaces"][number]["overrides"][number], path: string, problems: ProblemList): void {
    // The path names the override by position; each message also names it as the cluster will (kind and name).
    const which = ` (override ${override.kind} ${override.metadata.name})`;
    if (override.metadata.name.includes(".")) {
        problems.add(`${path}.metadata.name`, `"${override.metadata.name}" contains a dot: Calico 3.29-3.31 read the tier of a crd.projectcalico.org/v1 policy from its name ("${override.metadata.name.split(".")[0]}"); overrides live in the default tier, so use a name without dots`);
    }
    if (override.spec.tier !== undefined && override.spec.tier !== "default") {
        problems.add(`${path}.spec.tier`, `is ${JSON.stringify(override.spec.tier)}, but Calico 3.29-3.31 ignore spec.tier on crd.projectcalico.org/v1 policies and take the tier from the name (no dot: default); the policy would land in the default tier. Remove spec.tier (overrides live in the default tier)${which}`);
    }
    const object = { apiVersion: override.apiVersion, kind: override.kind, metadata: override.metadata, spec: override.spec };
    for (const problem of calicoPolicyProblems(object)) {
        problems.add(`${path}.${problem.path}`, `${problem.message}${which}`);
    }
}

function normaliseWorkload(namespace: string, workload: RawIntent["namespaces"][number]["workloads"][number], path: string, problems: ProblemList): WorkloadIntent {
    const egress = normaliseEgress(workload.egress, `${path}.egress`, problems);
    const isDataTier = workload.labels.tier === "data";
    if (isDataTier && !workload.allowDataTierInternetEgress) {
        if (egress.fqdns.length > 0) {
            problems.add(`${path}.egress.fqdns`, `workload ${namespace}/${workload.name} is tier=data and must not reach the internet; set allowDataTierInternetEgress: true to override`);
        }
        egress.cidrs.forEach((entry, index) => {
            if (!isPrivate(parseIpv4Block(entry.cidr))) {
                problems.add(`${path}.egress.cidrs[${index}].cidr`, `${entry.cidr} is an internet range, but workload ${namespace}/${workload.name} is tier=data; set allowDataTierInternetEgress: true to override`);
            }
        });
    }
    const ingressFrom = normaliseIngressFrom(workload.ingressFrom, `${path}.ingressFrom`, problems);
    const names = new Set<string>();
    workload.ports.forEach((port, index) => {
        if (port.name !== undefined) {
            if (names.has(port.name)) problems.add(`${path}.ports[${index}].name`, `duplicate port name "${port.name}"`);
            names.add(port.name);
        }
    });
    return {
        namespace,
        name: workload.name,
        labels: workload.labels,
        ports: [...workload.ports].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)),
        ingressFrom,
        egress,
        allowDataTierInternetEgress: workload.allowDataTierInternetEgress,
    };
}

function normaliseEgress(egress: z.output<typeof egressSchema>, path: string, problems: ProblemList): EgressIntent {
    const fqdns = normaliseFqdnRules(egress.fqdns, `${path}.fqdns`, problems);
    const cidrs = egress.cidrs.map((entry, index) => ({ cidr: entry.cidr, ports: normalisePorts(entry.ports, `${path}.cidrs[${index}].ports`, problems) }));
    egress.cidrs.forEach((entry, index) => {
        const problem = broadEgressProblem(entry.cidr) ?? platformAddressProblem(entry.cidr);
        if (problem) problems.add(`${path}.cidrs[${index}].cidr`, problem);
    });
    return {
        fqdns: fqdns.sort((a, b) => a.fqdn.localeCompare(b.fqdn)),
        cidrs: cidrs.sort((a, b) => a.cidr.localeCompare(b.cidr)),
        kubernetesApi: egress.kubernetesApi,
    };
}

/** The widest egress CIDR a workload may list: the largest private block (10.0.0.0/8); anything wider holds public addresses. */
const WIDEST_EGRESS_CIDR_PREFIX = 8;

/**
 * Why an egress CIDR is too broad, if it is: 0.0.0.0/0 or any range wider than a /8 opens a large part of the
 * internet past the firewall's FQDN filtering (network rules match addresses only), which the secure default forbids.
 */
function broadEgressProblem(cidr: string): string | undefined {
    if (cidrProblem(cidr) !== undefined) return undefined;
    const prefix = parseIpv4Block(cidr).prefix;
    if (prefix >= WIDEST_EGRESS_CIDR_PREFIX) return undefined;
    const what = prefix === 0 ? "the whole internet" : `${(2 ** (32 - prefix)).toLocaleString("en-US")} addresses, most of them public`;
    return `${cidr} would open egress to ${what}; list the ranges the workload needs (at most a /${WIDEST_EGRESS_CIDR_PREFIX} each), or reach internet hosts by name under egress.fqdns, which the firewall filters`;
}

function normalisePorts(ports: readonly RawPort[], path: string, problems: ProblemList): PortSpec[] {
    const result: PortSpec[] = [];
    ports.forEach((entry, index) => {
        if (typeof entry === "number") {
            result.push({ protocol: "TCP", port: entry });
            return;
        }
        if (entry.endPort !== undefined && entry.endPort < entry.port) {
            problems.add(`${path}[${index}].endPort`, `endPort ${entry.endPort} is below port ${entry.port}`);
        }
        result.push(entry.endPort !== undefined && entry.endPort !== entry.port ? { protocol: entry.protocol, port: entry.port, endPort: entry.endPort } : { protocol: entry.protocol, port: entry.port });
    });
    const unique = new Map(result.map((port) => [portKey(port), port]));
    return [...unique.values()].sort(comparePorts);
}

/** Stable identity of a port spec, e.g. `TCP/80` or `TCP/8080-8090`. */
export function portKey(port: PortSpec): string {
    return `${port.protocol}/${port.port}${port.endPort !== undefined ? `-${port.endPort}` : ""}`;
}

/** Orders ports by protocol, then number. */
export function comparePorts(a: PortSpec, b: PortSpec): number {
    return a.protocol.localeCompare(b.protocol) || a.port - b.port || (a.endPort ?? a.port) - (b.endPort ?? b.port);
}

function resolveWorkloadRef(
    ref: string,
    path: string,
    workloads: ReadonlyMap<string, WorkloadIntent>,
    namespaces: ReadonlySet<string>,
    problems: ProblemList,
): { namespace: string; workload: string } | undefined {
    const match = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(ref);
    if (!match) {
        problems.add(path, `expected "namespace/workload", got "${ref}"`);
        return undefined;
    }
    const [, namespace, workload] = match;
    if (!namespaces.has(namespace)) {
        problems.add(path, `unknown namespace "${namespace}" in "${ref}"; declare it under segmentation.namespaces`);
        return undefined;
    }
    if (!workloads.has(ref)) {
        problems.add(path, `unknown workload "${workload}" in namespace ${namespace}`);
        return undefined;
    }
    return { namespace, workload };
}

/**
 * A workload whose labels are a subset of another's would select the other's pods too, so its policies
 * would leak onto them; segmentation needs selectors that tell workloads apart.
 */
function checkDistinctSelectors(workloads: readonly WorkloadIntent[], path: string, problems: ProblemList): void {
    workloads.forEach((workload, index) => {
        const shadow = workloads.find((other, otherIndex) => otherIndex < index && (isSubset(other.labels, workload.labels) || isSubset(workload.labels, other.labels)));
        if (shadow !== undefined) {
            problems.add(`${path}.workloads[${index}].labels`, `the labels of ${workload.name} and ${shadow.name} overlap (one set contains the other), so one selector would match both; add a label that tells them apart`);
        }
    });
}

function isSubset(small: Readonly<Record<string, string>>, large: Readonly<Record<string, string>>): boolean {
    return Object.entries(small).every(([key, value]) => large[key] === value);
}

function isPrivate(block: Ipv4Block): boolean {
    return PRIVATE_RANGES.map(parseIpv4Block).some((range) => contains(range, block));
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
    return items.sort((a, b) => a.name.localeCompare(b.name));
}

function flowSortKey(flow: FlowIntent): string {
    return `${flow.from.namespace}/${flow.from.workload} ${flow.to.namespace}/${flow.to.workload}`;
}
