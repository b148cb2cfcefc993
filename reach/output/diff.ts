/**
 * Differences between two connection lists (before and after a change), at port level: for each pair the
 * traffic newly allowed and the traffic no longer allowed. External ranges may be cut differently in the
 * two lists, so both are refined to common boundaries before comparing, and merged again afterwards.
 */
import {
    type Connection,
    type Entity,
    type ExternalEntity,
    type WorkloadEntity,
    compareConnections,
    externalEntity,
} from "../engine";
import { type OutputFormat, connectionJson, formatConnection } from "./format";
import { ConnectionSet } from "../engine";

/** Traffic added and removed between two connection lists. */
export interface ConnectionDiff {
    /** Traffic allowed after but not before, sorted. */
    readonly added: readonly Connection[];
    /** Traffic allowed before but not after, sorted. */
    readonly removed: readonly Connection[];
}

interface RangePorts {
    readonly start: number;
    readonly end: number;
    readonly ports: ConnectionSet;
}

interface ExternalGroup {
    readonly workload: WorkloadEntity;
    readonly outbound: boolean;
    readonly before: RangePorts[];
    readonly after: RangePorts[];
}

function portsAt(ranges: readonly RangePorts[], address: number): ConnectionSet {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
        const middle = (lo + hi) >> 1;
        const range = ranges[middle]!;
        if (address < range.start) hi = middle - 1;
        else if (address > range.end) lo = middle + 1;
        else return range.ports;
    }
    return ConnectionSet.NONE;
}

function mergeRanges(pieces: readonly RangePorts[]): RangePorts[] {
    const merged: RangePorts[] = [];
    for (const piece of pieces) {
        const last = merged[merged.length - 1];
        if (last && last.end + 1 === piece.start && last.ports.equals(piece.ports)) {
            merged[merged.length - 1] = { start: last.start, end: piece.end, ports: last.ports };
        } else {
            merged.push(piece);
        }
    }
    return merged;
}

/** Compares two connection lists; reusable for pull-request security diffs. */
export function diffConnections(before: readonly Connection[], after: readonly Connection[]): ConnectionDiff {
    const added: Connection[] = [];
    const removed: Connection[] = [];
    const pairs = new Map<string, { source: Entity; destination: Entity; before: ConnectionSet; after: ConnectionSet }>();
    const groups = new Map<string, ExternalGroup>();

    const take = (connection: Connection, side: "before" | "after"): void => {
        const { source, destination } = connection;
        if (source.type === "workload" && destination.type === "workload") {
            const key = `${source.display}\u0000${destination.display}`;
            let pair = pairs.get(key);
            if (!pair) pairs.set(key, (pair = { source, destination, before: ConnectionSet.NONE, after: ConnectionSet.NONE }));
            pair[side] = pair[side].union(connection.ports);
            return;
        }
        const outbound = source.type === "workload";
        const workload = (outbound ? source : destination) as WorkloadEntity;
        const external = (outbound ? destination : source) as ExternalEntity;
        if (workload.type !== "workload" || external.type !== "external") return;
        const key = `${workload.display}\u0000${outbound ? "out" : "in"}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { workload, outbound, before: [], after: [] }));
        group[side].push({ start: external.start, end: external.end, ports: connection.ports });
    };
    for (const connection of before) take(connection, "before");
    for (const connection of after) take(connection, "after");

    for (const pair of pairs.values()) {
        const gained = pair.after.subtract(pair.before);
        const lost = pair.before.subtract(pair.after);
        if (!gained.isEmpty()) added.push({ source: pair.source, destination: pair.destination, ports: gained });
        if (!lost.isEmpty()) removed.push({ source: pair.source, destination: pair.destination, ports: lost });
    }

    for (const group of groups.values()) {
        group.before.sort((a, b) => a.start - b.start);
        group.after.sort((a, b) => a.start - b.start);
        const points = new Set<number>();
        for (const range of [...group.before, ...group.after]) {
            points.add(range.start);
            points.add(range.end + 1);
        }
        const sorted = [...points].sort((a, b) => a - b);
        const gainedPieces: RangePorts[] = [];
        const lostPieces: RangePorts[] = [];
        for (let index = 0; index + 1 < sorted.length; index++) {
            const start = sorted[index]!;
            const end = sorted[index + 1]! - 1;
            const was = portsAt(group.before, start);
            const now = portsAt(group.after, start);
            const gained = now.subtract(was);
            const lost = was.subtract(now);
            if (!gained.isEmpty()) gainedPieces.push({ start, end, ports: gained });
            if (!lost.isEmpty()) lostPieces.push({ start, end, ports: lost });
        }
        const emit = (pieces: RangePorts[], into: Connection[]): void => {
            for (const piece of mergeRanges(pieces)) {
                const external = externalEntity(piece.start, piece.end);
                into.push(
                    group.outbound
                        ? { source: group.workload, destination: external, ports: piece.ports }
                        : { source: external, destination: group.workload, ports: piece.ports },
                );
            }
        };
        emit(gainedPieces, added);
        emit(lostPieces, removed);
    }
    added.sort(compareConnections);
    removed.sort(compareConnections);
    return { added, removed };
}

/** Renders a diff: text lines "+ ..." / "- ..." sorted by pair (removed first within a pair), JSON, or a Markdown table. */
export function formatDiff(diff: ConnectionDiff, format: OutputFormat): string {
    const changes = [
        ...diff.removed.map((connection) => ({ sign: "-", connection })),
        ...diff.added.map((connection) => ({ sign: "+", connection })),
    ].sort((a, b) => compareConnections(a.connection, b.connection) || (a.sign === "-" ? -1 : 1) - (b.sign === "-" ? -1 : 1));
    switch (format) {
        case "text":
            return changes.map(({ sign, connection }) => `${sign} ${formatConnection(connection)}\n`).join("");
        case "json":
            return `${JSON.stringify({ added: diff.added.map(connectionJson), removed: diff.removed.map(connectionJson) }, null, 2)}\n`;
        case "md": {
            const cell = (text: string): string => text.replace(/\|/g, "\\|");
            const rows = changes.map(
                ({ sign, connection }) =>
                    `| ${sign === "+" ? "added" : "removed"} | ${cell(connection.source.display)} | ${cell(connection.destination.display)} | ${cell(connection.ports.format())} |`,
            );
            return ["| Change | Source | Destination | Connections |", "| --- | --- | --- | --- |", ...rows].join("\n") + "\n";
        }
    }
}
