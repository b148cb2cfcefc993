import { nearestName, ProblemList } from "../common";
import { PROJECT } from "./stackConfig";

/**
 * The config namespaces a stack of this program may use: its own and those of the providers it runs (their
 * settings, `azure-native:location`) and Pulumi's own (`pulumi:tags`). Pulumi accepts any namespace, so a misspelt
 * project namespace (`aks-zerotrust:segmentation`) would be silently ignored and the whole intent with it.
 */
export const KNOWN_CONFIG_NAMESPACES = [PROJECT, "azure-native", "kubernetes", "random", "pulumi"] as const;

/**
 * Turns Pulumi's flat config map (`aks-zero-trust:network` -> JSON text) into the values of this
 * project's keys, decoded: structured values arrive as JSON, plain scalars as bare strings. A key in an unknown
 * namespace, or without one, is a ConfigError naming the nearest known namespace.
 */
export function projectConfigValues(allConfig: Record<string, string>): Record<string, unknown> {
    const problems = new ProblemList();
    const values: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;
    for (const [key, text] of Object.entries(allConfig)) {
        const problem = configKeyProblem(key);
        if (problem) problems.add(key, problem);
        if (!key.startsWith(prefix)) continue;
        values[key.slice(prefix.length)] = decode(text);
    }
    problems.throwIfAny();
    return values;
}

/** Why a flat config key cannot be one of this stack's, or undefined when it can. */
function configKeyProblem(key: string): string | undefined {
    const colon = key.indexOf(":");
    // Pulumi's config.ParseKey (sdk/go/common/resource/config/key.go) wants `<namespace>:<name>`.
    if (colon < 0) return `a config key needs its namespace: "${PROJECT}:${key}"`;
    const namespace = key.slice(0, colon);
    if ((KNOWN_CONFIG_NAMESPACES as readonly string[]).includes(namespace)) return undefined;
    const nearest = nearestName(namespace, KNOWN_CONFIG_NAMESPACES);
    const known = `known namespaces: ${KNOWN_CONFIG_NAMESPACES.join(", ")}`;
    return `unknown config namespace "${namespace}"${nearest ? ` (did you mean "${nearest}:${key.slice(colon + 1)}"?)` : ""}; ${known}`;
}

function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
