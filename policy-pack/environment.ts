/**
 * Which environment's rules apply. Some guarantees are prod-only (Entra ID only, a restricted API server,
 * protected stateful resources), so a policy must know whether the stack is prod.
 *
 * Resolution, first answer wins:
 *  1. the policy's own config property `environment` (pack config, e.g. policy-config.dev.json);
 *  2. the stack the pack runs for: its `aks-zero-trust:environment` config, else its name when that is
 *     `dev` or `prod` (the CLI gives a policy pack PULUMI_CONFIG and PULUMI_STACK, see the pack's index.ts);
 *  3. the `environment` tag the program puts on every Azure resource;
 *  4. prod: when nothing says otherwise, the stricter rules apply.
 */

import { judgementDay } from "../core/common";

export type Environment = "dev" | "prod";

export const ENVIRONMENTS: readonly Environment[] = ["dev", "prod"];

/** What the pack knows about the stack it runs for, fixed when the pack starts. */
export interface PackContext {
    /** The stack's environment, when the stack says (config or name). */
    readonly stackEnvironment?: Environment;
    /**
     * Today's date (ISO, UTC) for date-aware policies; the real clock when unset. Only policy results depend on it,
     * never resource inputs, so a plan's resources do not change with the date.
     */
    readonly today?: () => string;
}

/** The day date-aware policies judge on: SOURCE_DATE_EPOCH when set (a fixed day for reproducible runs), else the clock's. */
export function todayUtc(): string {
    return judgementDay(undefined, process.env, () => new Date());
}

/** The project's config key that names the environment (core/config/stackConfig.ts). */
const ENVIRONMENT_CONFIG_KEY = "aks-zero-trust:environment";

function asEnvironment(value: unknown): Environment | undefined {
    return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value) ? (value as Environment) : undefined;
}

/**
 * The stack's environment from the variables Pulumi sets for a Node.js policy pack: PULUMI_CONFIG (the stack's
 * config as JSON) and PULUMI_STACK / PULUMI_NODEJS_STACK (sdk/go/common/resource/plugin/analyzer_plugin.go,
 * constructEnv). Undefined when neither names dev or prod.
 */
export function stackEnvironmentFrom(variables: Readonly<Record<string, string | undefined>>): Environment | undefined {
    const configText = variables.PULUMI_CONFIG;
    if (configText) {
        try {
            const fromConfig = asEnvironment((JSON.parse(configText) as Record<string, unknown>)[ENVIRONMENT_CONFIG_KEY]);
            if (fromConfig) return fromConfig;
        } catch {
            // Not JSON: fall back to the stack name.
        }
    }
    return asEnvironment(variables.PULUMI_STACK ?? variables.PULUMI_NODEJS_STACK);
}

/** The config schema property every environment-aware policy declares. */
export const ENVIRONMENT_CONFIG_PROPERTY = {
    type: "string" as const,
    enum: [...ENVIRONMENTS],
    description: "dev or prod. Defaults to the stack's aks-zero-trust:environment (or its name), then to the resources' environment tag, then to prod.",
};

/** Resolves the environment for one validation (see the module comment for the order). */
export function resolveEnvironment(configured: unknown, context: PackContext, taggedEnvironments: readonly unknown[]): Environment {
    const tagged = taggedEnvironments.map(asEnvironment).filter((value): value is Environment => value !== undefined);
    // Conflicting tags: the stricter environment wins.
    const fromTags = tagged.includes("prod") ? "prod" : tagged[0];
    return asEnvironment(configured) ?? context.stackEnvironment ?? fromTags ?? "prod";
}
