/**
 * Reading resource properties the way CrossGuard hands them over.
 *
 * During `pulumi preview`, values that depend on resources not created yet are unknown. The policy SDK wraps
 * `props` in a proxy that throws when such a value is read (pulumi-policy `proxy.ts`, UnknownValueError), and
 * the raw value is one of Pulumi's unknown sentinels. `knownProps` turns props into plain data in which every
 * unknown value is the UNKNOWN marker, so that checks can skip what they cannot know instead of failing.
 */

/** Marks a value Pulumi only knows after apply. */
export const UNKNOWN = Symbol("unknown until apply");
export type Unknown = typeof UNKNOWN;

/** Pulumi's wire sentinels for unknown booleans, numbers, strings, arrays, assets, archives and objects. */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The policy SDK's UnknownValueError carries the sentinel it met; its class is internal, so recognise it by shape. */
function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && "unknownTypeSentinel" in error;
}

/** Whether a raw value is one of Pulumi's unknown sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A plain deep copy of resource properties (proxied or not) in which every unknown value is UNKNOWN; never throws for one. */
export function knownProps(props: unknown): unknown {
    return copy(props);
}

function copy(value: unknown): unknown {
    if (isUnknownSentinel(value)) return UNKNOWN;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (let index = 0; index < value.length; index++) {
            items.push(readProperty(value, index));
        }
        return items;
    }
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        result[key] = readProperty(value as Record<string, unknown>, key);
    }
    return result;
}

function readProperty(container: object, key: string | number): unknown {
    try {
        return copy((container as Record<string | number, unknown>)[key]);
    } catch (error) {
        if (isUnknownValueError(error)) return UNKNOWN;
        throw error;
    }
}

/** Whether a plain value (from knownProps) holds an unknown anywhere. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** The value at a path of a plain value: UNKNOWN as soon as a step is unknown, undefined when a step is missing. */
export function at(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
    let current = value;
    for (const step of path) {
        if (current === UNKNOWN) return UNKNOWN;
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string | number, unknown>)[step];
    }
    return current;
}

/** A plain record, or undefined when the value is not an object (UNKNOWN stays UNKNOWN). */
export function asRecord(value: unknown): Record<string, unknown> | Unknown | undefined {
    if (value === UNKNOWN) return UNKNOWN;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A list, or [] when the value is missing or not a list (UNKNOWN stays UNKNOWN). */
export function asList(value: unknown): readonly unknown[] | Unknown {
    if (value === UNKNOWN) return UNKNOWN;
    return Array.isArray(value) ? value : [];
}

/** Case-insensitive comparison of a known string with an expected value (Azure enums are case-insensitive). */
export function sameText(value: unknown, expected: string): boolean {
    return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** How a value reads in a message. */
export function shown(value: unknown): string {
    if (value === UNKNOWN) return "(unknown until apply)";
    return value === undefined ? "not set" : JSON.stringify(value);
}

/** Whether a CIDR (or Azure wildcard) covers every address: `*`, `0.0.0.0/0`, `::/0` or any other `/0`. */
export function isEverywhere(address: unknown): boolean {
    if (typeof address !== "string") return false;
    const text = address.trim();
    return text === "*" || /\/0$/.test(text);
}
