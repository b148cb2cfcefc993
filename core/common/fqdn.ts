import { z } from "zod";
import type { ProblemList } from "./errors";

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why a string is not an acceptable firewall FQDN, or undefined when it is.
 * A single leading `*.` wildcard label is allowed (Azure Firewall matches subdomains with it),
 * but never a bare `*`, a wildcard on a top-level domain, or a wildcard inside a name.
 */
export function fqdnProblem(text: string): string | undefined {
    const name = text.toLowerCase();
    if (name === "*" || name === "*.*") {
        return `"${text}" would allow every destination; list the host names the workload needs`;
    }
    if (name.length > 253) {
        return `"${text}" is longer than 253 characters`;
    }
    const labels = name.split(".");
    const wildcard = labels[0] === "*";
    const concrete = wildcard ? labels.slice(1) : labels;
    if (concrete.some((label) => label.includes("*"))) {
        return `"${text}" has a wildcard that is not the whole leftmost label; only "*.example.com" is supported`;
    }
    if (concrete.length < 2) {
        return wildcard
            ? `"${text}" is a wildcard over a whole top-level domain`
            : `expected a fully qualified domain name such as api.example.com, got "${text}"`;
    }
    const bad = concrete.find((label) => !LABEL.test(label));
    if (bad !== undefined) {
        return `"${text}" is not a valid host name (label "${bad}": expected letters, digits and inner hyphens, 1-63 characters)`;
    }
    if (/^[0-9]+$/.test(concrete[concrete.length - 1])) {
        return `"${text}" looks like an IP address; use a CIDR rule instead of an FQDN`;
    }
    return undefined;
}

/** One host name the firewall lets the cluster reach, as written in stack config (`egress.fqdns` lists). */
export const fqdnRuleSchema = z.strictObject({
    /** The host name, e.g. api.github.com or *.blob.core.windows.net. */
    fqdn: z.string(),
    /** Application protocol the firewall inspects. */
    protocol: z.enum(["Https", "Http"]).default("Https"),
    /** Destination ports. */
    ports: z.array(z.number().int().min(1).max(65535)).min(1).default([443]),
});

/** A validated FQDN rule: lowercase name, unique sorted ports. */
export interface FqdnRule {
    readonly fqdn: string;
    readonly protocol: "Https" | "Http";
    readonly ports: readonly number[];
}

/** Checks every FQDN of a list (problems at `<listPath>[i].fqdn`) and normalises the valid ones, in order. */
export function normaliseFqdnRules(rules: readonly z.output<typeof fqdnRuleSchema>[], listPath: string, problems: ProblemList): FqdnRule[] {
    const result: FqdnRule[] = [];
    rules.forEach((rule, index) => {
        const problem = fqdnProblem(rule.fqdn);
        if (problem) {
            problems.add(`${listPath}[${index}].fqdn`, problem);
            return;
        }
        result.push({ fqdn: rule.fqdn.toLowerCase(), protocol: rule.protocol, ports: [...new Set(rule.ports)].sort((a, b) => a - b) });
    });
    return result;
}
