/**
 * Runs the policy pack (policy-pack/) against an offline run, in-process, without constructing the
 * PolicyPack (which would start a gRPC server). The captured resources are handed to each policy in the
 * shape CrossGuard gives them: resource policies get one resource's args, stack policies all resources.
 */
import { PROJECT } from "../../core/config";
import { AKS_VERSION_CALENDAR_READ_ON } from "../../core/azure";
import {
    DEFAULT_ENFORCEMENT_LEVEL,
    createPolicies,
    isResourcePolicy,
    type Environment,
    type Policies,
    type PolicyPackConfig,
    type PolicyResource,
    type PolicyResourceOptions,
    type ReportViolation,
    type ResourceValidationArgs,
    type StackValidationArgs,
} from "../../policy-pack/policies";
import { resourceKey, type CapturedResource, type MockRun } from "./mockRuntime";
import { reconcilePolicyPackConfig } from "./policyConfig";

/** One violation a policy reported. */
export interface PolicyViolation {
    readonly message: string;
    /** URN of the resource in violation, when the policy names one. */
    readonly resource?: string;
}

/** What one policy found. */
export interface PolicyResult {
    readonly policy: string;
    readonly enforcementLevel: "mandatory" | "advisory" | "disabled";
    readonly violations: readonly PolicyViolation[];
}

/** Options of a policy run. */
export interface PolicyCheckOptions {
    /** Stack name (goes into URNs). */
    readonly stack: string;
    /** The stack's environment, as the pack would learn it from the stack's config. */
    readonly environment: Environment;
    /** Pack config, as in a `--policy-pack-config` file: policy name (or "all") -> level or {enforcementLevel, ...properties}. */
    readonly config?: PolicyPackConfig;
    /** The day date-aware policies judge on (ISO); defaults to the day the AKS calendar was read. */
    readonly today?: string;
}

/** Thrown by `notApplicable()`: the policy chose not to judge this resource or stack. */
export class PolicyNotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
        this.name = "PolicyNotApplicable";
    }
}

/** What a validation needs beyond the resource itself. */
export interface ValidationContext {
    readonly stack: string;
    /** Every resource of the run: parents and providers are looked up here. */
    readonly resources: readonly CapturedResource[];
    /** The policy's config properties (what `getConfig()` returns). */
    readonly config?: Record<string, unknown>;
}

/** The URN Pulumi gives a captured resource: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`. */
export function urnOf(resource: CapturedResource, context: Pick<ValidationContext, "stack" | "resources">): string {
    const byKey = new Map(context.resources.map((candidate) => [resourceKey(candidate.type, candidate.name), candidate]));
    const types = [resource.type];
    for (let parent = resource.parent ? byKey.get(resource.parent) : undefined; parent; parent = parent.parent ? byKey.get(parent.parent) : undefined) {
        types.unshift(parent.type);
    }
    return `urn:pulumi:${context.stack}::${PROJECT}::${types.join("$")}::${resource.name}`;
}

function optionsOf(resource: CapturedResource, context: ValidationContext): PolicyResourceOptions {
    const parent = resource.parent ? context.resources.find((candidate) => resourceKey(candidate.type, candidate.name) === resource.parent) : undefined;
    return {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(parent ? { parent: urnOf(parent, context) } : {}),
    };
}

function providerOf(resource: CapturedResource, context: ValidationContext): ResourceValidationArgs["provider"] {
    const provider = resource.provider ? context.resources.find((candidate) => resourceKey(candidate.type, candidate.name) === resource.provider) : undefined;
    return provider ? { type: provider.type, name: provider.name, urn: urnOf(provider, context), props: provider.inputs } : undefined;
}

/** Pulumi's resource classes carry their type token (what `isType` compares). */
function pulumiTypeOf(resourceClass: unknown): string | undefined {
    return (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType;
}

function notApplicable(reason?: string): never {
    throw new PolicyNotApplicable(reason);
}

/** The args a ResourceValidationPolicy's validateResource receives for one captured resource. */
export function resourceValidationArgs(resource: CapturedResource, context: ValidationContext): ResourceValidationArgs {
    const props = resource.inputs;
    const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn: urnOf(resource, context),
        name: resource.name,
        opts: optionsOf(resource, context),
        stackTags: new Map<string, string>(),
        isType: (resourceClass: unknown) => pulumiTypeOf(resourceClass) === resource.type,
        asType: ((resourceClass: unknown) => (pulumiTypeOf(resourceClass) === resource.type ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => ({ ...(context.config ?? {}) }) as T,
        notApplicable,
    };
    const provider = providerOf(resource, context);
    return provider ? { ...args, provider } : args;
}

/** The args a StackValidationPolicy's validateStack receives for all captured resources. */
export function stackValidationArgs(context: ValidationContext): StackValidationArgs {
    const byKey = new Map<string, PolicyResource>();
    const resources = context.resources.map((resource) => {
        const policyResource: PolicyResource = {
            type: resource.type,
            props: resource.inputs,
            urn: urnOf(resource, context),
            name: resource.name,
            opts: optionsOf(resource, context),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass: unknown) => pulumiTypeOf(resourceClass) === resource.type,
            asType: ((resourceClass: unknown) => (pulumiTypeOf(resourceClass) === resource.type ? resource.inputs : undefined)) as PolicyResource["asType"],
        };
        const provider = providerOf(resource, context);
        if (provider) policyResource.provider = provider;
        byKey.set(resourceKey(resource.type, resource.name), policyResource);
        return policyResource;
    });
    context.resources.forEach((resource, index) => {
        const policyResource = resources[index];
        const parent = resource.parent ? byKey.get(resource.parent) : undefined;
        if (parent) policyResource.parent = parent;
        policyResource.dependencies = resource.dependsOn.map((key) => byKey.get(key)).filter((found): found is PolicyResource => found !== undefined);
    });
    return {
        resources,
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => ({ ...(context.config ?? {}) }) as T,
        notApplicable,
    };
}

/** Collects what a validation reports; `urn` defaults to the resource being validated. */
export function violationCollector(defaultUrn?: string): { readonly violations: PolicyViolation[]; readonly reportViolation: ReportViolation } {
    const violations: PolicyViolation[] = [];
    const reportViolation: ReportViolation = (message: string, urn?: string) => {
        const resource = urn ?? defaultUrn;
        violations.push(resource ? { message, resource } : { message });
    };
    return { violations, reportViolation };
}

function settle(policyName: string, outcome: unknown): void {
    if (outcome !== null && typeof outcome === "object" && typeof (outcome as { then?: unknown }).then === "function") {
        throw new Error(`policy ${policyName} returned a promise; the offline policy check runs policies synchronously`);
    }
}

/**
 * Runs every policy of the pack against a run's resources, in pack order, with the pack config applied as the
 * engine applies it (policyConfig.ts: defaults from each policy's configSchema, then "all", then the policy's
 * entry). Remediate counts as mandatory.
 */
export function runPolicyPack(run: MockRun, options: PolicyCheckOptions): PolicyResult[] {
    // The plan passes the day it judges on (--today, SOURCE_DATE_EPOCH or the clock), as `pulumi preview --policy-pack` does.
    const today = options.today ?? AKS_VERSION_CALENDAR_READ_ON;
    return runPolicies(createPolicies({ stackEnvironment: options.environment, today: () => today }), run, options);
}

/** Runs the given policies (the pack's, from the sources or from a built pack) like runPolicyPack. */
export function runPolicies(policies: Policies, run: MockRun, options: Pick<PolicyCheckOptions, "stack" | "config">): PolicyResult[] {
    const reconciled = reconcilePolicyPackConfig(policies, DEFAULT_ENFORCEMENT_LEVEL, options.config);
    return policies.map((policy) => {
        const { enforcementLevel: level, properties } = reconciled.get(policy.name)!;
        const enforcementLevel = level === "remediate" ? "mandatory" : level;
        if (enforcementLevel === "disabled") return { policy: policy.name, enforcementLevel, violations: [] };
        const context: ValidationContext = { stack: options.stack, resources: run.resources, config: { ...properties } };
        const violations: PolicyViolation[] = [];
        const attempt = (validate: () => unknown) => {
            try {
                settle(policy.name, validate());
            } catch (error) {
                if (!(error instanceof PolicyNotApplicable)) throw error;
            }
        };
        if (isResourcePolicy(policy)) {
            const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
            for (const resource of run.resources) {
                const args = resourceValidationArgs(resource, context);
                const collector = violationCollector(args.urn);
                for (const validate of validations) attempt(() => validate(args, collector.reportViolation));
                violations.push(...collector.violations);
            }
        } else {
            const collector = violationCollector();
            attempt(() => policy.validateStack(stackValidationArgs(context), collector.reportViolation));
            violations.push(...collector.violations);
        }
        return { policy: policy.name, enforcementLevel, violations };
    });
}

/** Each policy's remediation steps, as the pack states them (what `pulumi preview` prints with a violation). */
export function policyRemediations(environment?: Environment): ReadonlyMap<string, string> {
    return new Map(createPolicies({ stackEnvironment: environment }).flatMap((policy) => (policy.remediationSteps ? [[policy.name, policy.remediationSteps] as const] : [])));
}

/** Whether any mandatory policy reported a violation (a deployment would be blocked). */
export function hasMandatoryViolations(results: readonly PolicyResult[]): boolean {
    return results.some((result) => result.enforcementLevel === "mandatory" && result.violations.length > 0);
}

/** "name (type)" from a URN, for reading. */
export function resourceLabel(urn: string): string {
    const [, , qualifiedType, ...name] = urn.split("::");
    return qualifiedType ? `${name.join("::")} (${qualifiedType.split("$").pop()})` : urn;
}

/**
 * One line per policy (PASS, FAIL with its violations indented, or SKIP when disabled), then a summary line
 * counting passed policies and violations: "13 policies: 12 passed, 0 advisory warnings, 1 mandatory violations".
 */
export function policyResultsText(results: readonly PolicyResult[]): string {
    const lines: string[] = [];
    let passed = 0;
    let advisory = 0;
    let mandatory = 0;
    let disabled = 0;
    for (const result of results) {
        if (result.enforcementLevel === "disabled") {
            disabled++;
            lines.push(`SKIP  ${result.policy} (disabled)`);
            continue;
        }
        if (result.violations.length === 0) {
            passed++;
            lines.push(`PASS  ${result.policy} (${result.enforcementLevel})`);
            continue;
        }
        if (result.enforcementLevel === "mandatory") mandatory += result.violations.length;
        else advisory += result.violations.length;
        lines.push(`FAIL  ${result.policy} (${result.enforcementLevel})`);
        for (const violation of result.violations) {
            lines.push(`      - ${violation.message}${violation.resource ? ` [${resourceLabel(violation.resource)}]` : ""}`);
        }
    }
    lines.push(`${results.length} policies: ${passed} passed, ${advisory} advisory warnings, ${mandatory} mandatory violations${disabled > 0 ? `, ${disabled} disabled` : ""}`);
    return lines.join("\n");
}
