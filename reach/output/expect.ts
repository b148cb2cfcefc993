/**
 * Intent checks: a YAML file of expected connections, checked against an analysis.
 *
 *   expectations:
 *     - shop/frontend -> shop/backend: TCP 80         # at least these ports are allowed
 *     - shop/frontend -> shop/database: deny          # no traffic at all
 *     - shop/frontend -> shop/database: deny TCP 22   # none of these ports
 *     - shop/backend -> 8.8.8.8: TCP 443              # external side: an IPv4 address or CIDR
 *     - monitoring/prometheus -> shop/api: exactly TCP 9090
 *     - shop/api -> kube-system/kube-dns: allow       # some traffic
 *     - default/a[Pod] -> default/b[Pod]: all         # All Connections
 *
 * The list may also stand alone at the top of the file, without the `expectations:` key.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Analysis } from "../engine";
import { InputError, placeText } from "../input";
import type { Connection } from "../engine";
import { findEndpoint, parseEntityReference } from "./explain";
import { parseCidr } from "../engine";
import { ConnectionSet, parseConnectionSet } from "../engine";

/** What an expectation demands of the traffic from source to destination. */
export type Requirement =
    | { readonly kind: "deny"; readonly ports: ConnectionSet }
    | { readonly kind: "allow" }
    | { readonly kind: "at least"; readonly ports: ConnectionSet }
    | { readonly kind: "exactly"; readonly ports: ConnectionSet };

/** One expectation with where it was written. */
export interface Expectation {
    /** Source as written (workload reference, IPv4 address or CIDR). */
    readonly source: string;
    /** Destination as written. */
    readonly destination: string;
    /** The demand. */
    readonly requirement: Requirement;
    /** The expectation as written, "a -> b: TCP 80". */
    readonly text: string;
    /** File it came from. */
    readonly file?: string;
    /** Line in that file. */
    readonly line?: number;
}

/** The outcome of one expectation. */
export interface ExpectationResult {
    /** The expectation. */
    readonly expectation: Expectation;
    /** True when it holds. */
    readonly passed: boolean;
    /** Traffic actually allowed (the least over an address range). */
    readonly actual: ConnectionSet;
    /** Why it failed, when it did. */
    readonly reason?: string;
}

function parseRequirement(text: string): Requirement | string {
    const trimmed = text.trim();
    if (/^allow$/i.test(trimmed)) return { kind: "allow" };
    const deny = /^deny(?:\s+(.*))?$/i.exec(trimmed);
    if (deny) {
        if (deny[1] === undefined) return { kind: "deny", ports: ConnectionSet.ALL };
        const ports = parseConnectionSet(deny[1]);
        return typeof ports === "string" ? ports : { kind: "deny", ports };
    }
    const exactly = /^exactly\s+(.*)$/i.exec(trimmed);
    const ports = parseConnectionSet(exactly ? exactly[1]! : trimmed);
    if (typeof ports === "string") return `${ports}; expected deny, allow, all, a port list like "TCP 80,443" or "exactly TCP 80"`;
    return exactly ? { kind: "exactly", ports } : { kind: "at least", ports };
}

/** Parses an expectations file; throws InputError with file:line on mistakes. */
export function parseExpectations(text: string, file: string): Expectation[] {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter });
    const lineAt = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
    if (document.errors.length > 0) {
        const error = document.errors[0]!;
        throw new InputError(`invalid YAML: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, file, error.linePos?.[0].line);
    }
    const root = document.contents;
    const list = isSeq(root) ? root : isMap(root) ? root.get("expectations", true) : undefined;
    if (!isSeq(list)) throw new InputError("expected a list of expectations, at the top or under `expectations:`", file, lineAt(root?.range?.[0]) ?? 1);
    return list.items.map((item) => {
        const line = lineAt((item as { range?: [number, number, number] }).range?.[0]);
        if (!isMap(item) || item.items.length !== 1) {
            throw new InputError('each expectation is one "source -> destination: requirement" entry', file, line);
        }
        const pair = item.items[0]!;
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        const value = isScalar(pair.value) ? String(pair.value.value) : "";
        const arrow = /^\s*(\S+)\s*->\s*(\S+)\s*$/.exec(key);
        if (!arrow) throw new InputError(`expected "source -> destination", found ${JSON.stringify(key)}`, file, line);
        const requirement = parseRequirement(value);
        if (typeof requirement === "string") throw new InputError(requirement, file, line);
        return { source: arrow[1]!, destination: arrow[2]!, requirement, text: `${arrow[1]} -> ${arrow[2]}: ${value}`, file, line };
    });
}

type Side = { readonly display: string } | { readonly range: readonly [number, number] };

function resolveSide(analysis: Analysis, text: string, expectation: Expectation): Side {
    const fail = (reason: string): never => {
        throw new InputError(reason, expectation.file, expectation.line);
    };
    if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(text)) {
        const cidr = parseCidr(text);
        if (typeof cidr === "string" || cidr.family !== "ipv4") return fail(typeof cidr === "string" ? cidr : `IPv6 ${text} is not analysed`);
        return { range: cidr.range };
    }
    const reference = parseEntityReference(text);
    if (typeof reference === "string") return fail(reference);
    if (reference.type === "address") return { range: [reference.address, reference.address] };
    const id = findEndpoint(analysis.engine, reference);
    if (typeof id === "string") return fail(id);
    return { display: analysis.engine.entities[id]!.display };
}

/** Index of an analysis' connections for lookups by pair. */
class ConnectionIndex {
    private readonly pairs = new Map<string, ConnectionSet>();
    private readonly ranges = new Map<string, { start: number; end: number; ports: ConnectionSet }[]>();

    constructor(connections: readonly Connection[]) {
        for (const connection of connections) {
            const { source, destination } = connection;
            if (source.type === "workload" && destination.type === "workload") {
                this.pairs.set(`${source.display}\u0000${destination.display}`, connection.ports);
            } else if (source.type === "workload" && destination.type === "external") {
                this.push(`${source.display}\u0000out`, destination.start, destination.end, connection.ports);
            } else if (source.type === "external" && destination.type === "workload") {
                this.push(`${destination.display}\u0000in`, source.start, source.end, connection.ports);
            }
        }
    }

    private push(key: string, start: number, end: number, ports: ConnectionSet): void {
        let list = this.ranges.get(key);
        if (!list) this.ranges.set(key, (list = []));
        list.push({ start, end, ports });
    }

    /** Least and most traffic allowed between the sides (equal unless one side is an address range). */
    traffic(source: Side, destination: Side): { least: ConnectionSet; most: ConnectionSet } | string {
        if ("display" in source && "display" in destination) {
            const ports = this.pairs.get(`${source.display}\u0000${destination.display}`) ?? ConnectionSet.NONE;
            return { least: ports, most: ports };
        }
        if ("range" in source && "range" in destination) return "one side must be a workload";
        const workload = ("display" in source ? source : destination) as { display: string };
        const range = ("range" in source ? source : destination) as { range: readonly [number, number] };
        const key = `${workload.display}\u0000${"display" in source ? "out" : "in"}`;
        const [lo, hi] = range.range;
        const overlapping = (this.ranges.get(key) ?? []).filter((entry) => entry.end >= lo && entry.start <= hi).sort((a, b) => a.start - b.start);
        let most = ConnectionSet.NONE;
        let least: ConnectionSet | undefined;
        let next = lo;
        for (const entry of overlapping) {
            most = most.union(entry.ports);
            if (entry.start > next) least = ConnectionSet.NONE;
            least = least === undefined ? entry.ports : least.intersect(entry.ports);
            next = entry.end + 1;
        }
        if (next <= hi) least = ConnectionSet.NONE;
        return { least: least ?? ConnectionSet.NONE, most };
    }
}

/** Checks every expectation against the analysis; throws InputError (with the expectation's file:line) on unknown workloads. */
export function checkExpectations(analysis: Analysis, expectations: readonly Expectation[]): ExpectationResult[] {
    const index = new ConnectionIndex(analysis.connections);
    return expectations.map((expectation) => {
        const source = resolveSide(analysis, expectation.source, expectation);
        const destination = resolveSide(analysis, expectation.destination, expectation);
        const traffic = index.traffic(source, destination);
        if (typeof traffic === "string") throw new InputError(traffic, expectation.file, expectation.line);
        const { least, most } = traffic;
        const requirement = expectation.requirement;
        let reason: string | undefined;
        switch (requirement.kind) {
            case "deny": {
                const leaked = most.intersect(requirement.ports);
                if (!leaked.isEmpty()) reason = `expected ${requirement.ports.isAll() ? "no connection" : `no ${requirement.ports.format()}`}, found ${leaked.format()}`;
                break;
            }
            case "allow":
                if (least.isEmpty()) reason = "expected some connection, found none";
                break;
            case "at least": {
                const missing = requirement.ports.subtract(least);
                if (!missing.isEmpty()) reason = `expected at least ${requirement.ports.format()}, missing ${missing.format()} (found ${least.isEmpty() ? "no connection" : least.format()})`;
                break;
            }
            case "exactly":
                if (!least.equals(requirement.ports) || !most.equals(requirement.ports)) {
                    reason = `expected exactly ${requirement.ports.format()}, found ${most.isEmpty() ? "no connection" : most.format()}`;
                }
                break;
        }
        return { expectation, passed: reason === undefined, actual: least, reason };
    });
}

/** Renders results: one FAIL line per violated expectation, then a PASS/FAIL summary line. */
export function formatExpectationResults(results: readonly ExpectationResult[]): string {
    const lines: string[] = [];
    for (const result of results) {
        if (result.passed) continue;
        const { expectation } = result;
        lines.push(`FAIL ${placeText(expectation.file, expectation.line)}${expectation.text}: ${result.reason}`);
    }
    const failed = lines.length;
    const total = results.length;
    lines.push(
        failed === 0
            ? `PASS: ${total} expectation${total === 1 ? "" : "s"} hold${total === 1 ? "s" : ""}`
            : `FAIL: ${failed} of ${total} expectation${total === 1 ? "" : "s"} violated`,
    );
    return `${lines.join("\n")}\n`;
}
