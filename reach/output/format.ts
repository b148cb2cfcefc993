/** Output forms for connection lists: text lines, JSON, Markdown; and the presentation rules they share. */
import { type Connection, type Entity, type ExternalEntity, compareConnections, externalEntity } from "../engine";
import { ipv4Text, parseCidr, parseIPv4, parseConnectionSet } from "../engine";
import { type AddressNames, addressRangesText, isNamedEntity, nameExternalConnections, namedEntityOf } from "./names";

/** Output formats. */
export type OutputFormat = "text" | "json" | "md";

/** One connection as a line: "shop/frontend[Deployment] => shop/backend[Deployment] : TCP 80". */
export function formatConnection(connection: Connection): string {
    return `${connection.source.display} => ${connection.destination.display} : ${connection.ports.format()}`;
}

/** What users want to read, shared by every format and by `reach diff`. */
export interface PresentationOptions {
    /** Keep a workload's connections to itself (replicas of one workload are one node of the graph). Default false. */
    readonly self?: boolean;
    /**
     * Address names (the stack's internet, VNet, pod CIDR): traffic common to all of a name's addresses prints as
     * the name, the rest as exact ranges. Without names, external ranges print exactly as computed.
     */
    readonly names?: AddressNames;
}

/**
 * Connections as users read them: a workload's connection to itself left out (unless `self`), and adjacent
 * external ranges with the same traffic to or from the same workload merged into one, whatever boundaries
 * other policies happened to cut. Input in any order; output sorted.
 */
export function presentConnections(connections: readonly Connection[], options: PresentationOptions = {}): Connection[] {
    const result: Connection[] = [];
    const byWorkload = new Map<string, { connections: Connection[]; outbound: boolean }>();
    for (const connection of connections) {
        const { source, destination } = connection;
        if (source.type === "workload" && destination.type === "workload") {
            if (options.self || source.display !== destination.display) result.push(connection);
            continue;
        }
        const outbound = source.type === "workload";
        const key = `${(outbound ? source : destination).display}\u0000${outbound ? "out" : "in"}`;
        let group = byWorkload.get(key);
        if (!group) byWorkload.set(key, (group = { connections: [], outbound }));
        group.connections.push(connection);
    }
    for (const { connections: group, outbound } of byWorkload.values()) {
        if (options.names) {
            result.push(...nameExternalConnections(group, outbound, options.names));
            continue;
        }
        const rangeOf = (connection: Connection) => (outbound ? connection.destination : connection.source) as ExternalEntity;
        group.sort((a, b) => rangeOf(a).start - rangeOf(b).start);
        let last: Connection | undefined;
        for (const connection of group) {
            if (last && rangeOf(last).end + 1 === rangeOf(connection).start && last.ports.equals(connection.ports)) {
                const merged = externalEntity(rangeOf(last).start, rangeOf(connection).end);
                last = outbound ? { ...last, destination: merged } : { ...last, source: merged };
                result[result.length - 1] = last;
            } else {
                const range = externalEntity(rangeOf(connection).start, rangeOf(connection).end);
                result.push((last = outbound ? { ...connection, destination: range } : { ...connection, source: range }));
            }
        }
    }
    return result.sort(compareConnections);
}

/**
 * The entity a display text names: "namespace/name[Kind]", an external range in any of its printed
 * forms ("a.b.c.d", "a.b.c.d/n", "a.b.c.d-e.f.g.h", each followed by "[External]"), or one of `names`.
 * Undefined when none.
 */
export function parseEntityDisplay(display: string, names?: AddressNames): Entity | undefined {
    const named = namedEntityOf(names, display);
    if (named) return named;
    const external = /^(\d+\.\d+\.\d+\.\d+)(?:-(\d+\.\d+\.\d+\.\d+)|\/(\d+))?\[External\]$/.exec(display);
    if (external) {
        const start = parseIPv4(external[1]!);
        if (start === undefined) return undefined;
        if (external[3] !== undefined) {
            const block = parseCidr(`${external[1]}/${external[3]}`);
            return typeof block === "string" || block.family !== "ipv4" ? undefined : externalEntity(block.range[0], block.range[1]);
        }
        const end = external[2] === undefined ? start : parseIPv4(external[2]);
        return end === undefined || end < start ? undefined : externalEntity(start, end);
    }
    const workload = /^([^/\s[\]]+)\/([^/\s[\]]+)\[([A-Za-z]+)\]$/.exec(display);
    if (!workload) return undefined;
    return { type: "workload", namespace: workload[1]!, name: workload[2]!, kind: workload[3]!, display };
}

/** Rebuilds a connection from its line form, `A => B : PORTS` (entities as parseEntityDisplay reads them). */
export function parseConnectionLine(line: string, names?: AddressNames): Connection {
    const match = /^(.+) => (.+) : (.+)$/.exec(line);
    if (!match) throw new Error(`not a connection line: ${line}`);
    const ports = parseConnectionSet(match[3]!);
    if (typeof ports === "string") throw new Error(`bad connections in "${line}": ${ports}`);
    const entity = (display: string) => {
        const parsed = parseEntityDisplay(display, names) ?? workloadOfDisplay(display);
        if (!parsed) throw new Error(`not an entity in "${line}": ${display}`);
        return parsed;
    };
    return { source: entity(match[1]!), destination: entity(match[2]!), ports };
}

/** A workload display with any name characters ("ns/name[Kind]"), as tests and hand-written lines use them. */
function workloadOfDisplay(display: string): Entity | undefined {
    const workload = /^([^/]+)\/(.+)\[(.+)\]$/.exec(display);
    return workload ? { type: "workload", namespace: workload[1]!, name: workload[2]!, kind: workload[3]!, display } : undefined;
}

function entityJson(entity: Entity): Record<string, unknown> {
    if (isNamedEntity(entity)) return { type: "external", name: entity.name, ranges: addressRangesText(entity.addresses), display: entity.display };
    return entity.type === "workload"
        ? { type: "workload", kind: entity.kind, namespace: entity.namespace, name: entity.name, display: entity.display }
        : { type: "external", range: entity.display.replace(/\[External\]$/, ""), first: ipv4Text(entity.start), last: ipv4Text(entity.end), display: entity.display };
}

/** A JSON-ready connection: entities with their parts, ports as text and as intervals per protocol. */
export function connectionJson(connection: Connection): Record<string, unknown> {
    return {
        source: entityJson(connection.source),
        destination: entityJson(connection.destination),
        ports: connection.ports.format(),
        protocols: connection.ports.toJSON(),
    };
}

function markdownCell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** Renders connections (already sorted) in the chosen format; text ends with a newline when non-empty. */
export function formatConnections(connections: readonly Connection[], format: OutputFormat): string {
    switch (format) {
        case "text":
            return connections.map((connection) => `${formatConnection(connection)}\n`).join("");
        case "json":
            return `${JSON.stringify({ connections: connections.map(connectionJson) }, null, 2)}\n`;
        case "md": {
            const rows = connections.map(
                (connection) =>
                    `| ${markdownCell(connection.source.display)} | ${markdownCell(connection.destination.display)} | ${markdownCell(connection.ports.format())} |`,
            );
            return ["| Source | Destination | Connections |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
        }
    }
}

/** "12 connections between 5 workloads and 3 external ranges" (external ranges counted when they appear in a connection). */
export function summaryLine(connections: readonly Connection[], workloadCount: number): string {
    const externals = new Set<string>();
    for (const connection of connections) {
        for (const entity of [connection.source, connection.destination]) {
            if (entity.type === "external") externals.add(entity.display);
        }
    }
    const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;
    return `${plural(connections.length, "connection")} between ${plural(workloadCount, "workload")} and ${plural(externals.size, "external range")}`;
}
