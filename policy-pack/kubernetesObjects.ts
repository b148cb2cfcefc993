/**
 * The stack's Kubernetes objects as plain data, and the label-selector facts the policies need.
 * Pulumi type tokens of Kubernetes resources are `kubernetes:<group>/<version>:<Kind>` (core: `core/v1`).
 */
import type { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, Unknown, asList, asRecord, at, knownProps } from "./values";

/** A Kubernetes object of the stack, with its plain (possibly partly unknown) metadata and spec. */
export interface StackKubernetesObject {
    readonly resource: PolicyResource;
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: unknown;
    readonly spec: unknown;
}

const CALICO_GROUPS = new Set(["crd.projectcalico.org", "projectcalico.org"]);

/** apiVersion and kind of a Kubernetes resource type token; undefined for anything else (providers, components). */
export function kubernetesTypeOf(type: string): { apiVersion: string; kind: string } | undefined {
    const match = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
    if (!match) return undefined;
    const [, groupVersion, kind] = match;
    return { apiVersion: groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion, kind };
}

/** The Kubernetes NetworkPolicy type. */
export const NETWORK_POLICY_TYPE = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
/** Self-managed Calico's staged Kubernetes NetworkPolicy. */
export const STAGED_KUBERNETES_NETWORK_POLICY_TYPE = "kubernetes:projectcalico.org/v3:StagedKubernetesNetworkPolicy";
/** The Namespace type. */
export const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

/** Whether an apiVersion belongs to Calico (the internal CRD group AKS serves, or the v3 API server's). */
export function isCalicoApiVersion(apiVersion: string): boolean {
    return CALICO_GROUPS.has(apiVersion.split("/")[0]);
}

/** Whether a type token is a Calico (Global)NetworkPolicy in either API group. */
export function isCalicoPolicyType(type: string, kind: "NetworkPolicy" | "GlobalNetworkPolicy" | "StagedNetworkPolicy" | "StagedGlobalNetworkPolicy" | "StagedKubernetesNetworkPolicy"): boolean {
    const parsed = kubernetesTypeOf(type);
    return parsed !== undefined && parsed.kind === kind && isCalicoApiVersion(parsed.apiVersion);
}

/** The stack's Kubernetes objects whose type passes the filter, in resource order. */
export function stackKubernetesObjects(resources: readonly PolicyResource[], include: (type: string) => boolean): StackKubernetesObject[] {
    const objects: StackKubernetesObject[] = [];
    for (const resource of resources) {
        const parsed = kubernetesTypeOf(resource.type);
        if (!parsed || !include(resource.type)) continue;
        const props = knownProps(resource.props);
        objects.push({ resource, ...parsed, metadata: at(props, "metadata"), spec: at(props, "spec") });
    }
    return objects;
}

/** A metadata string field (name, namespace): the string, UNKNOWN, or undefined when missing. */
export function metadataText(object: StackKubernetesObject, field: "name" | "namespace"): string | Unknown | undefined {
    const value = at(object.metadata, field);
    return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

/** Whether a LabelSelector selects everything: missing, `{}`, or no matchLabels and no matchExpressions. UNKNOWN when it cannot tell. */
export function isEmptySelector(selector: unknown): boolean | Unknown {
    if (selector === undefined || selector === null) return true;
    const record = asRecord(selector);
    if (record === UNKNOWN) return UNKNOWN;
    if (record === undefined) return false;
    const labels = asRecord(record.matchLabels);
    const expressions = asList(record.matchExpressions);
    if (labels === UNKNOWN || expressions === UNKNOWN) return UNKNOWN;
    return Object.keys(labels ?? {}).length === 0 && expressions.length === 0;
}

/**
 * Whether a LabelSelector can select a pod carrying `key=value`: false only when matchLabels pins another
 * value, or a matchExpression on the key excludes it (In without it, NotIn with it, DoesNotExist).
 */
export function mayMatchLabel(selector: unknown, key: string, value: string): boolean | Unknown {
    if (selector === undefined || selector === null) return true;
    if (selector === UNKNOWN) return UNKNOWN;
    const pinned = at(selector, "matchLabels", key);
    if (pinned === UNKNOWN) return UNKNOWN;
    if (pinned !== undefined && pinned !== value) return false;
    const expressions = asList(at(selector, "matchExpressions"));
    if (expressions === UNKNOWN) return UNKNOWN;
    for (const expression of expressions) {
        if (expression === UNKNOWN || at(expression, "key") === UNKNOWN) return UNKNOWN;
        if (at(expression, "key") !== key) continue;
        const operator = at(expression, "operator");
        const values = asList(at(expression, "values"));
        if (operator === UNKNOWN || values === UNKNOWN || values.includes(UNKNOWN)) return UNKNOWN;
        if (operator === "In" && !values.includes(value)) return false;
        if (operator === "NotIn" && values.includes(value)) return false;
        if (operator === "DoesNotExist") return false;
    }
    return true;
}

/** matchLabels of a LabelSelector as a plain string map (UNKNOWN when unknown, {} when missing). */
export function matchLabelsOf(selector: unknown): Record<string, string> | Unknown {
    const labels = asRecord(at(selector, "matchLabels"));
    if (labels === UNKNOWN) return UNKNOWN;
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels ?? {})) {
        if (value === UNKNOWN) return UNKNOWN;
        if (typeof value === "string") result[key] = value;
    }
    return result;
}
