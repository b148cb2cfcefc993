/**
 * Shapes of the Kubernetes and Calico objects the analyzer reads, validated with zod. Only the fields the
 * analyzer reads are kept (unknown fields are dropped, which is also zod's fastest mode); `null` is accepted
 * wherever a field may be omitted, as YAML writes empty fields that way.
 */
import { z } from "zod";
import { type SourceLocation, fieldError } from "./errors";

const stringMap = z.record(z.string(), z.string());

const ownerReference = z.object({
    kind: z.string(),
    name: z.string(),
    controller: z.boolean().nullish(),
});

/** metadata of any object. */
export const metadataShape = z.object({
    name: z.string().min(1),
    namespace: z.string().min(1).nullish(),
    labels: stringMap.nullish(),
    ownerReferences: z.array(ownerReference).nullish(),
});

const containerPort = z.object({
    name: z.string().nullish(),
    containerPort: z.number().int().min(1).max(65535),
    protocol: z.enum(["TCP", "UDP", "SCTP"]).nullish(),
});

const container = z.object({ ports: z.array(containerPort).nullish() });

const podSpec = z.object({
    containers: z.array(container).nullish(),
    initContainers: z.array(container).nullish(),
    serviceAccountName: z.string().nullish(),
    serviceAccount: z.string().nullish(),
});

/** A pod spec as validated. */
export type PodSpecObject = z.infer<typeof podSpec>;

/** Object metadata as validated. */
export type MetadataObject = z.infer<typeof metadataShape>;

/** A pod template (labels and containers). */
export const podTemplateShape = z.object({
    metadata: z.object({ labels: stringMap.nullish() }).nullish(),
    spec: podSpec.nullish(),
});

/** A bare Pod. */
export const podShape = z.object({ metadata: metadataShape, spec: podSpec.nullish() });

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController. */
export const templatedWorkloadShape = z.object({
    metadata: metadataShape,
    spec: z.object({ template: podTemplateShape.nullish() }).nullish(),
});

/** CronJob: the pod template sits under spec.jobTemplate.spec.template. */
export const cronJobShape = z.object({
    metadata: metadataShape,
    spec: z
        .looseObject({
            jobTemplate: z.object({ spec: z.object({ template: podTemplateShape.nullish() }).nullish() }).nullish(),
        })
        .nullish(),
});

/** Namespace and ServiceAccount: only metadata matters. */
export const metadataOnlyShape = z.object({ metadata: metadataShape });

/** Service: selector and ports (for Calico `services` rule matches). */
export const serviceShape = z.object({
    metadata: metadataShape,
    spec: z
        .looseObject({
            selector: stringMap.nullish(),
            ports: z
                .array(
                    z.object({
                        name: z.string().nullish(),
                        port: z.number().int().min(1).max(65535),
                        targetPort: z.union([z.number().int().min(1).max(65535), z.string()]).nullish(),
                        protocol: z.enum(["TCP", "UDP", "SCTP"]).nullish(),
                    }),
                )
                .nullish(),
        })
        .nullish(),
});

const labelSelector = z.object({
    matchLabels: stringMap.nullish(),
    matchExpressions: z
        .array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() }))
        .nullish(),
});

const networkPolicyPeer = z.object({
    podSelector: labelSelector.nullish(),
    namespaceSelector: labelSelector.nullish(),
    ipBlock: z.object({ cidr: z.string(), except: z.array(z.string()).nullish() }).nullish(),
});

const networkPolicyPort = z.object({
    protocol: z.string().nullish(),
    port: z.union([z.number().int(), z.string()]).nullish(),
    endPort: z.number().int().nullish(),
});

/** One peer of a Kubernetes NetworkPolicy rule. */
export type NetworkPolicyPeerObject = z.infer<typeof networkPolicyPeer>;

/** One port of a Kubernetes NetworkPolicy rule. */
export type NetworkPolicyPortObject = z.infer<typeof networkPolicyPort>;

/** networking.k8s.io/v1 NetworkPolicy. */
export const networkPolicyShape = z.object({
    metadata: metadataShape,
    spec: z
        .looseObject({
            podSelector: labelSelector.nullish(),
            policyTypes: z.array(z.string()).nullish(),
            ingress: z.array(z.object({ from: z.array(networkPolicyPeer).nullish(), ports: z.array(networkPolicyPort).nullish() })).nullish(),
            egress: z.array(z.object({ to: z.array(networkPolicyPeer).nullish(), ports: z.array(networkPolicyPort).nullish() })).nullish(),
        })
        .nullish(),
});

/** A Kubernetes NetworkPolicy as validated. */
export type NetworkPolicyObject = z.infer<typeof networkPolicyShape>;

const calicoPort = z.union([z.number().int(), z.string()]);

const calicoEntity = z.object({
    nets: z.array(z.string()).nullish(),
    notNets: z.array(z.string()).nullish(),
    selector: z.string().nullish(),
    notSelector: z.string().nullish(),
    namespaceSelector: z.string().nullish(),
    ports: z.array(calicoPort).nullish(),
    notPorts: z.array(calicoPort).nullish(),
    serviceAccounts: z.object({ names: z.array(z.string()).nullish(), selector: z.string().nullish() }).nullish(),
    services: z.object({ name: z.string(), namespace: z.string().nullish() }).nullish(),
});

/** A Calico rule's source or destination. */
export type CalicoEntityObject = z.infer<typeof calicoEntity>;

const calicoRule = z.object({
    action: z.string(),
    protocol: z.union([z.string(), z.number().int()]).nullish(),
    notProtocol: z.union([z.string(), z.number().int()]).nullish(),
    ipVersion: z.number().int().nullish(),
    icmp: z.unknown().optional(),
    notICMP: z.unknown().optional(),
    http: z.unknown().optional(),
    source: calicoEntity.nullish(),
    destination: calicoEntity.nullish(),
});

/** A Calico rule as validated. */
export type CalicoRuleObject = z.infer<typeof calicoRule>;

/** Calico NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3 and crd.projectcalico.org/v1 share it). */
export const calicoPolicyShape = z.object({
    metadata: metadataShape,
    spec: z
        .looseObject({
            tier: z.string().nullish(),
            order: z.number().nullish(),
            selector: z.string().nullish(),
            namespaceSelector: z.string().nullish(),
            serviceAccountSelector: z.string().nullish(),
            types: z.array(z.string()).nullish(),
            ingress: z.array(calicoRule).nullish(),
            egress: z.array(calicoRule).nullish(),
            doNotTrack: z.boolean().nullish(),
            preDNAT: z.boolean().nullish(),
            applyOnForward: z.boolean().nullish(),
        })
        .nullish(),
});

/** A Calico policy as validated. */
export type CalicoPolicyObject = z.infer<typeof calicoPolicyShape>;

/** Calico Tier. */
export const tierShape = z.object({
    metadata: metadataShape,
    spec: z.object({ order: z.number().nullish(), defaultAction: z.string().nullish() }).nullish(),
});

/** Calico GlobalNetworkSet and NetworkSet. */
export const networkSetShape = z.object({
    metadata: metadataShape,
    spec: z.object({ nets: z.array(z.string()).nullish() }).nullish(),
});

function issueText(issue: z.core.$ZodIssue): string {
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (issue.code === "invalid_type") {
        return received === "undefined" ? `required field is missing (expected ${issue.expected})` : `expected ${issue.expected}, found ${received ?? "another type"}`;
    }
    if (issue.code === "invalid_union") {
        const expected = issue.errors.map((branch) => (branch[0]?.code === "invalid_type" ? branch[0].expected : "another shape"));
        const found = issue.errors[0]?.[0] ? /received (\w+)$/.exec(issue.errors[0][0].message)?.[1] : undefined;
        return `expected ${expected.join(" or ")}${found ? `, found ${found}` : ""}`;
    }
    if (issue.code === "too_small" && issue.origin === "string") return "must not be empty";
    return issue.message.replace(/^Invalid (input|option): /, "");
}

/** Validates an object against a shape; throws InputError at the first offending field ("file:line: spec.x: expected ..."). */
export function parseShape<T>(shape: z.ZodType<T>, object: unknown, source: SourceLocation | undefined): T {
    const result = shape.safeParse(object);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const path = issue.path.filter((part): part is string | number => typeof part === "string" || typeof part === "number");
    throw fieldError(source, path, issueText(issue));
}
