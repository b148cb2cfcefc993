/**
 * Calls the policy pack's validate functions directly, with args shaped like CrossGuard's (built by the
 * same adapter the offline plan uses), and collects what they report. Never constructs the PolicyPack.
 */
import { AKS_VERSION_CALENDAR_READ_ON } from "../../core/azure";
import type { CapturedResource } from "../../offline/runtime";
import { PolicyNotApplicable, resourceValidationArgs, stackValidationArgs, violationCollector, type PolicyViolation } from "../../offline/runtime";
import { createPolicies, isResourcePolicy, type Environment, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "../../policy-pack/policies";

// The policy SDK's own unknown-value proxy (an internal module without types): `props` during a preview.
const sdkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: <T extends object>(props: T) => T;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownBooleanValue: string;
};

/** Pulumi's sentinels for values unknown during preview. */
export const UNKNOWN_VALUE = {
    string: sdkProxy.unknownStringValue,
    array: sdkProxy.unknownArrayValue,
    object: sdkProxy.unknownObjectValue,
    boolean: sdkProxy.unknownBooleanValue,
} as const;

/** Options of one validation. */
export interface ValidationOptions {
    /** The stack the pack runs for (what it learns from PULUMI_CONFIG / PULUMI_STACK). */
    readonly stackEnvironment?: Environment;
    /** The policy's config properties (getConfig). */
    readonly config?: Record<string, unknown>;
    /** Other resources of the stack (parents, providers). */
    readonly stackResources?: readonly CapturedResource[];
    /** Hand props over as during a preview: through the SDK's unknown-checking proxy. */
    readonly preview?: boolean;
    /** The day the pack believes it is (ISO date), for date-aware policies; the AKS calendar's read date by default, so that no test depends on the clock. */
    readonly today?: string;
}

/** What a validation produced: the violations, or the reason it declared itself not applicable. */
export interface ValidationOutcome {
    readonly violations: readonly PolicyViolation[];
    readonly messages: readonly string[];
    readonly notApplicable?: string;
}

function findPolicy(name: string, stackEnvironment?: Environment, today?: string): ResourceValidationPolicy | StackValidationPolicy {
    const found = createPolicies({ stackEnvironment, today: () => today ?? AKS_VERSION_CALENDAR_READ_ON }).find((policy) => policy.name === name);
    if (!found) throw new Error(`no policy named ${name}`);
    return found;
}

function outcome(violations: PolicyViolation[], run: () => unknown): ValidationOutcome {
    try {
        const result = run();
        if (result instanceof Promise) throw new Error("policies are expected to validate synchronously");
    } catch (error) {
        if (error instanceof PolicyNotApplicable) return { violations, messages: violations.map((violation) => violation.message), notApplicable: error.reason ?? "" };
        throw error;
    }
    return { violations, messages: violations.map((violation) => violation.message) };
}

/** Runs a resource policy's validateResource on one resource. */
export function validateResource(policyName: string, resource: CapturedResource, options: ValidationOptions = {}): ValidationOutcome {
    const policy = findPolicy(policyName, options.stackEnvironment, options.today);
    if (!isResourcePolicy(policy)) throw new Error(`${policyName} is a stack policy`);
    const args = resourceValidationArgs(resource, { stack: "test", resources: options.stackResources ?? [resource], config: options.config });
    const previewArgs = options.preview ? { ...args, props: sdkProxy.unknownCheckingProxy(args.props) } : args;
    const { violations, reportViolation } = violationCollector(args.urn);
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    return outcome(violations, () => validations.forEach((validate) => validate(previewArgs, reportViolation)));
}

/** Runs a stack policy's validateStack on a set of resources. */
export function validateStack(policyName: string, resources: readonly CapturedResource[], options: ValidationOptions = {}): ValidationOutcome {
    const policy = findPolicy(policyName, options.stackEnvironment);
    if (isResourcePolicy(policy)) throw new Error(`${policyName} is a resource policy`);
    const args = stackValidationArgs({ stack: "test", resources, config: options.config });
    const previewResources: PolicyResource[] = options.preview ? args.resources.map((resource) => ({ ...resource, props: sdkProxy.unknownCheckingProxy(resource.props) })) : args.resources;
    const { violations, reportViolation } = violationCollector();
    return outcome(violations, () => policy.validateStack({ ...args, resources: previewResources }, reportViolation));
}

/** A crafted resource, as the mock runtime would capture it. */
export function resource(type: string, name: string, inputs: Record<string, unknown>, options: Partial<Pick<CapturedResource, "protect" | "parent" | "provider">> = {}): CapturedResource {
    return { type, name, inputs, dependsOn: [], protect: options.protect ?? false, parent: options.parent, provider: options.provider, component: false, ignoreChanges: [] };
}

/** A copy of a resource with some inputs replaced (deep-merged objects, replaced arrays and scalars). */
export function withInputs(original: CapturedResource, changes: Record<string, unknown>, extra: Partial<CapturedResource> = {}): CapturedResource {
    return { ...original, ...extra, inputs: merge(original.inputs, changes) as Record<string, unknown> };
}

function merge(base: unknown, changes: unknown): unknown {
    if (!isPlainObject(base) || !isPlainObject(changes)) return changes;
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete result[key];
        else result[key] = merge(base[key], value);
    }
    return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A Kubernetes NetworkPolicy resource. */
export function networkPolicy(name: string, namespace: string, spec: Record<string, unknown>): CapturedResource {
    return resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${namespace}-${name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec });
}

/** A Namespace resource; app namespaces carry the policy-set label. */
export function namespace(name: string, labels: Record<string, string> = { "aks-zero-trust.io/policy-set": "enabled" }): CapturedResource {
    return resource("kubernetes:core/v1:Namespace", `${name}-namespace`, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
}

/** A Calico policy resource (internal CRD API, as AKS serves it). */
export function calicoPolicy(kind: "NetworkPolicy" | "GlobalNetworkPolicy", name: string, spec: Record<string, unknown>, policyNamespace?: string): CapturedResource {
    const metadata = policyNamespace ? { name, namespace: policyNamespace } : { name };
    return resource(`kubernetes:crd.projectcalico.org/v1:${kind}`, `${policyNamespace ?? "global"}-${name}`, { apiVersion: "crd.projectcalico.org/v1", kind, metadata, spec });
}
