import { contains, isIpv4Address, parseIpv4Block, cidrProblem } from "../common";
import { configPath } from "./stackConfig";

/**
 * Values in a stack that only stand in for the real thing: documentation address ranges, example GUIDs and example
 * domains. The shipped stacks carry some (`authorizedIpRanges: 203.0.113.0/24`, an all-zero admin group), so that
 * they plan offline; a real `pulumi up` refuses to start while any remains (index.ts).
 */
export interface Placeholder {
    /** Config key, as the user writes it: `aks-zero-trust:cluster.apiServer.authorizedIpRanges[0]`. */
    readonly key: string;
    readonly value: string;
    /** What kind of placeholder it is, with its source. */
    readonly why: string;
}

/** RFC 5737: TEST-NET-1, -2 and -3 are for documentation and never routed on the internet. */
const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map(parseIpv4Block);

/** RFC 2606 and RFC 6761: names reserved for examples and tests, which never resolve to anyone's service. */
const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];
const EXAMPLE_TOP_LEVEL = ["example", "test", "invalid", "localhost"];

/** A GUID with nothing but zeros (a version/variant digit aside) or one repeated digit: a stand-in for a real id. */
const EXAMPLE_GUID = /^(?:0{8}-0{4}-[0-9a-f]0{3}-[0-9a-f]0{3}-0{12}|([0-9a-f])\1{7}-\1{4}-\1{4}-\1{4}-\1{12})$/i;

/** Why a single string value is a placeholder, or undefined when it is not one. */
export function placeholderReason(value: string): string | undefined {
    const trimmed = value.trim().toLowerCase();
    if (isIpv4Address(trimmed) || (trimmed.includes("/") && cidrProblem(trimmed) === undefined)) {
        const block = parseIpv4Block(trimmed.includes("/") ? trimmed : `${trimmed}/32`);
        const range = DOCUMENTATION_RANGES.find((documentation) => contains(documentation, block));
        if (range) return `a documentation address range (${range.cidr}, RFC 5737)`;
        return undefined;
    }
    if (EXAMPLE_GUID.test(trimmed)) return "an example GUID (all zeros or one repeated digit)";
    const domain = trimmed.replace(/^\*\./, "").replace(/\.$/, "");
    if (/^[a-z0-9.-]+$/.test(domain) && domain.includes(".")) {
        if (EXAMPLE_DOMAINS.some((example) => domain === example || domain.endsWith(`.${example}`))) return "an example domain (RFC 2606)";
        if (EXAMPLE_TOP_LEVEL.includes(domain.split(".").pop()!)) return `a reserved top-level domain (.${domain.split(".").pop()}, RFC 2606/6761)`;
    }
    return undefined;
}

/** Every placeholder in a stack's config values (keyed without the project prefix), in key order. */
export function findPlaceholders(values: Record<string, unknown>): Placeholder[] {
    const found: Placeholder[] = [];
    const walk = (value: unknown, path: Array<string | number>): void => {
        if (typeof value === "string") {
            const why = placeholderReason(value);
            if (why) found.push({ key: configPath(path), value, why });
        } else if (Array.isArray(value)) {
            value.forEach((item, index) => walk(item, [...path, index]));
        } else if (value !== null && typeof value === "object") {
            for (const key of Object.keys(value).sort()) walk((value as Record<string, unknown>)[key], [...path, key]);
        }
    };
    for (const key of Object.keys(values).sort()) walk(values[key], [key]);
    return found;
}

/** The one message a real `pulumi up` stops with while placeholders remain. */
export function placeholderRefusal(placeholders: readonly Placeholder[]): string {
    return [
        `the stack still has ${placeholders.length === 1 ? "a placeholder" : `${placeholders.length} placeholders`}; replace ${placeholders.length === 1 ? "it" : "them"} before pulumi up creates anything:`,
        ...placeholders.map((placeholder) => `  - ${placeholder.key}: ${placeholder.value} is ${placeholder.why}`),
        "(pulumi preview and npm run plan still run with placeholders)",
    ].join("\n");
}
