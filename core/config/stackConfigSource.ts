import { PROJECT } from "./stackConfig";

/**
 * Turns Pulumi's flat config map (`aks-zero-trust:network` -> JSON text) into the values of this
 * project's keys, decoded: structured values arrive as JSON, plain scalars as bare strings.
 */
export function projectConfigValues(allConfig: Record<string, string>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;
    for (const [key, text] of Object.entries(allConfig)) {
        if (!key.startsWith(prefix)) continue;
        values[key.slice(prefix.length)] = decode(text);
    }
    return values;
}

function decode(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
