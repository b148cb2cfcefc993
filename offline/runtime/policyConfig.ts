/**
 * The policy pack's config as the Pulumi engine applies it, for the in-process policy run.
 *
 * One file shape serves both routes: `pulumi preview --policy-pack-config FILE` and
 * `pulumi policy enable <org>/<pack> <version> --config FILE` both read the file with
 * LoadPolicyPackConfigFromFile (pulumi/pulumi pkg/resource/analyzer/config.go, used by
 * pkg/cmd/pulumi/policy/policy_enable.go): a JSON object from policy name (or "all") to an enforcement level,
 * or to an object of config properties with an optional "enforcementLevel".
 *
 * The engine then reconciles it with what the pack declares (ReconcilePolicyPackConfig, same file): every
 * policy starts at its own level (else the pack's) with the `default` of each property of its configSchema;
 * "all" sets every policy's level; a policy's entry sets its level and overrides properties one by one; the
 * result is validated against each policy's configSchema. For a pack enabled in a policy group, the service's
 * config goes through the same reconciliation (ParsePolicyPackConfigFromAPI, then ReconcilePolicyPackConfig).
 * This module does the same, so the offline run sees what `getConfig()` returns inside the running pack.
 */
import * as fs from "node:fs";
import type { EnforcementLevel, Policies, PolicyPackConfig } from "../../policy-pack/policies";

/** CrossGuard's enforcement levels (apitype.EnforcementLevel). */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A config file or config value Pulumi would reject. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** One policy's config after reconciliation: what the engine sends the pack for it. */
export interface ReconciledPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    /** What the policy's `getConfig()` returns. */
    readonly properties: Readonly<Record<string, unknown>>;
}

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Checks a pack config value the way the CLI parses a config file; `source` names the file in errors. */
export function checkPolicyPackConfig(value: unknown, source: string): PolicyPackConfig {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PolicyConfigError(`${source}: expected a JSON object from policy name (or "all") to a level or an object of properties, found ${shown(value)}`);
    }
    for (const [name, entry] of Object.entries(value)) {
        if (typeof entry === "string") {
            if (!isLevel(entry)) throw new PolicyConfigError(`${source}: ${name}: expected an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}), found ${shown(entry)}`);
        } else if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) {
            const level = (entry as Record<string, unknown>).enforcementLevel;
            if (level !== undefined && !isLevel(level)) {
                throw new PolicyConfigError(`${source}: ${name}.enforcementLevel: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, found ${shown(level)}`);
            }
        } else {
            throw new PolicyConfigError(`${source}: ${name}: expected a level or an object, found ${shown(entry)}`);
        }
    }
    return value as PolicyPackConfig;
}

/** Reads a pack config file (the file given to `--policy-pack-config` or `pulumi policy enable --config`). */
export function readPolicyPackConfigFile(file: string): PolicyPackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new PolicyConfigError(`${file}: cannot read the policy pack config: ${(error as Error).message}`);
    }
    // The CLI accepts an empty file as no config.
    if (text.trim() === "") return {};
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new PolicyConfigError(`${file}: not JSON: ${(error as Error).message}`);
    }
    return checkPolicyPackConfig(value, file);
}

type PropertySchema = Readonly<{ type?: string | readonly string[]; enum?: readonly unknown[]; default?: unknown }>;

function typeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

/** The JSON-schema checks the pack's property schemas use (type, enum); problems name `where`. */
function propertyProblems(schema: PropertySchema, value: unknown, where: string): string[] {
    const problems: string[] = [];
    const types = schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type;
    const actual = typeOf(value);
    if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        problems.push(`${where}: expected ${types.join(" or ")}, found ${shown(value)}`);
    }
    if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${where}: expected one of ${schema.enum.map(shown).join(", ")}, found ${shown(value)}`);
    }
    return problems;
}

/**
 * Every policy's level and properties once the config is applied over the pack's defaults, in policy order.
 * Throws a PolicyConfigError (naming `source` and the policy property) when the result breaks a configSchema.
 */
export function reconcilePolicyPackConfig(policies: Policies, packLevel: EnforcementLevel, config: PolicyPackConfig | undefined, source = "policy pack config"): Map<string, ReconciledPolicyConfig> {
    const checked = config === undefined ? {} : checkPolicyPackConfig(config, source);
    const all = checked.all;
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    const problems: string[] = [];
    const result = new Map<string, ReconciledPolicyConfig>();
    for (const policy of policies) {
        const schema = (policy.configSchema?.properties ?? {}) as Readonly<Record<string, PropertySchema>>;
        const properties: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(schema)) {
            if (property.default !== undefined) properties[key] = property.default;
        }
        let enforcementLevel = policy.enforcementLevel ?? packLevel;
        if (allLevel !== undefined) enforcementLevel = allLevel;
        const entry = checked[policy.name];
        if (typeof entry === "string") {
            enforcementLevel = entry;
        } else if (entry !== undefined) {
            const { enforcementLevel: level, ...given } = entry;
            if (level !== undefined) enforcementLevel = level;
            Object.assign(properties, given);
        }
        for (const [key, value] of Object.entries(properties)) {
            if (schema[key]) problems.push(...propertyProblems(schema[key], value, `${source}: ${policy.name}.${key}`));
        }
        for (const key of policy.configSchema?.required ?? []) {
            if (!(key in properties)) problems.push(`${source}: ${policy.name}.${key}: required by the policy, missing`);
        }
        result.set(policy.name, { enforcementLevel, properties });
    }
    if (problems.length > 0) throw new PolicyConfigError(problems.join("\n"));
    return result;
}
